package io.statecast.consumer.internal;

import io.statecast.consumer.ResetEvent;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka partitions being read again after a reset, and why: each is whole again once every table of
 * it has read to the end captured when its re-read started. Reads of a partition that is not whole wait
 * or fail ({@link ViewTable#whole}); listeners hear {@code onWhole} when it is whole again.
 */
final class Rebuilds {
    private final Map<Integer, ResetEvent.Reason> reading = new HashMap<>();
    private final ViewSource source;
    private final ViewTable<?> table;

    Rebuilds(ViewSource source, ViewTable<?> table) {
        this.source = source;
        this.table = table;
    }

    /** These partitions were reset (under the write lock): their tables are not whole until read again. */
    void started(Collection<Integer> kafkaPartitions, ResetEvent.Reason reason) {
        for (int k : kafkaPartitions) {
            reading.put(k, reason);
            source.tables(k).forEach(t -> table.partition(t).whole = false);
        }
    }

    /**
     * Marks whole (under the write lock) the partitions whose every table reached its re-read's end;
     * those still waiting for their start offsets ({@code reReads}) are not.
     *
     * @return the partitions whole again, by the reason of their reset
     */
    Map<ResetEvent.Reason, Set<Integer>> finish(Set<Integer> reReads) {
        Map<ResetEvent.Reason, Set<Integer>> done = new EnumMap<>(ResetEvent.Reason.class);
        reading.entrySet().removeIf(e -> {
            int k = e.getKey();
            boolean end =
                    !reReads.contains(k) && source.tables(k).stream().allMatch(t -> readToEnd(table.partition(t)));
            if (end) {
                source.tables(k).forEach(t -> table.partition(t).whole = true);
                done.computeIfAbsent(e.getValue(), r -> new TreeSet<>()).add(k);
            }
            return end;
        });
        return done;
    }

    boolean any() {
        return !reading.isEmpty();
    }

    private static boolean readToEnd(Partition p) {
        return p.progress.endOffset >= 0 && p.progress.reachedEnd();
    }
}
