package io.statecast.consumer;

import java.time.Duration;
import java.util.List;

/**
 * Counters of a view, always available (Micrometer binding is optional): entries, stored bytes,
 * per-partition position and lag, staleness, bootstrap duration, records applied and skipped,
 * bytes fetched, resets, listeners, checksum verification, the start-up splay this view drew, and
 * how it started (a warm restart from a snapshot, or a full bootstrap and why).
 */
public record ViewStats(
        long entries,
        long storedBytes,
        List<PartitionProgress> partitions,
        Duration staleness,
        Duration bootstrapDuration,
        long recordsApplied,
        long recordsSkipped,
        long bytesFetched,
        long resets,
        List<ListenerStats> listeners,
        Checks checks,
        Duration splay,
        String startMode) {

    /** Checksums classified: verified, mismatched, not comparable; partitions healed; alarms raised. */
    public record Checks(long verified, long mismatched, long notComparable, long heals, long alarms) {}

    /** Per listener: queued events, age of the oldest queued event, events dropped, exceptions thrown. */
    public record ListenerStats(String name, int queued, Duration oldest, long dropped, long failures) {}
}
