package io.statecast.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One version of a key with its value decoded and what changed since the version before it.
 *
 * @param entry the version as the materializer wrote it (version, op, time, producer, origin, payload)
 * @param value the payload decoded with its writer schema, as plain JSON; null for a delete
 * @param previousVersion the version the changes are measured against: the one before it in the log (0 when
 *     there is none); lower than {@code entry.version() - 1} when compaction removed the versions between
 * @param changes the fields that differ from {@code previousVersion}'s value; empty when either is a delete or
 *     absent (a creation, a re-creation, a deletion)
 */
public record Version(Entry entry, JsonNode value, long previousVersion, List<FieldChange> changes) {}
