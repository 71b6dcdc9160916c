package io.statecast.consumer.internal;

import io.statecast.common.StatecastHeaders;
import io.statecast.common.TopicMismatchException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;

/**
 * A namespace's partition count never changes: with more partitions the default partitioner sends keys
 * elsewhere, where the materializer would start them over, so the table a view holds can no longer be
 * kept. This rule holds what a view started with — the partition counts of the topics it could describe
 * (its own, and {@code <ns>.state} and {@code <ns>.changes}) and the source partition count — and fails
 * with {@link TopicMismatchException} when a later look, or a mark's {@code sc.partitions} (the count the
 * materializer runs with), says otherwise. Topics it could not describe (not authorized) are not compared.
 */
final class PartitionCounts {
    private static final String HOW = "; a namespace's partition count cannot change (keys would move to other"
            + " partitions): see 'Growing a namespace' in docs/consumer-lib.md";

    private final Map<String, Integer> started;
    private final String state;
    private final String changes;
    private final int sources;

    /**
     * @param started partition count per topic, at start
     * @param state the namespace's state topic (null for a view of a plain topic)
     * @param changes the namespace's changes topic (null for a view of a plain topic)
     * @param sources the state topic's partition count the view reads by
     * @throws TopicMismatchException when {@code state} and {@code changes} differ already
     */
    PartitionCounts(Map<String, Integer> started, String state, String changes, int sources) {
        this.started = Map.copyOf(started);
        this.state = state;
        this.changes = changes;
        this.sources = sources;
        coPartitioned(started);
    }

    /** Compares the counts of a later look. @throws TopicMismatchException when one changed */
    void check(Map<String, Integer> now) {
        for (Map.Entry<String, Integer> e : new TreeMap<>(now).entrySet()) {
            Integer was = started.get(e.getKey());
            if (was != null && !was.equals(e.getValue())) {
                throw new TopicMismatchException(
                        e.getKey(),
                        "went from " + was + " to " + e.getValue() + " partitions while the view read it" + HOW);
            }
        }
        coPartitioned(now);
    }

    /**
     * Checks a mark's {@code sc.partitions} (absent from marks of older materializers: nothing to check).
     *
     * @param where the mark's topic and partition, for the message
     * @throws TopicMismatchException when the materializer runs with another count than the view reads by
     */
    void checkMark(Headers headers, String where) {
        long n = StatecastHeaders.readLong(headers, StatecastHeaders.PARTITIONS, -1);
        if (n >= 0 && n != sources) {
            throw new TopicMismatchException(
                    state,
                    "has " + sources + " partitions but the materializer runs with " + n + " ("
                            + StatecastHeaders.PARTITIONS + " of a mark in " + where + ")" + HOW);
        }
    }

    // The materializer refuses to run when these differ; a view cannot tell where a key's records are.
    private void coPartitioned(Map<String, Integer> counts) {
        Integer s = counts.get(state);
        Integer c = counts.get(changes);
        if (s != null && c != null && !s.equals(c)) {
            throw new TopicMismatchException(state, "has " + s + " partitions, " + changes + " " + c + HOW);
        }
    }
}
