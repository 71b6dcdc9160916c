package io.statecast.audit;

import io.statecast.schemas.Rejection;
import java.util.List;

/**
 * The rejected inputs of a namespace.
 *
 * @param rejections the rejections, partition by partition in offset order
 * @param undecodable records of {@code <ns>.rejections} that are not {@code Rejection}s (skipped, counted)
 */
public record Rejections(List<Rejection> rejections, long undecodable) {}
