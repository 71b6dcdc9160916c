package io.statecast.audit;

import java.util.Map;

/**
 * A replayed table.
 *
 * @param entries live entries by key, sorted by key
 * @param source the topic it was rebuilt from ({@code <ns>.history} or {@code <ns>.state})
 * @param caveat why the table may be inexact (rebuilt from a compacted {@code state}, an incomplete
 *     {@code history}), or null when it is exact
 * @param skipped records of the source that were not state records (undecodable, no {@code sc.*} headers)
 *     and were skipped
 */
public record Table(Map<String, Entry> entries, String source, String caveat, long skipped) {}
