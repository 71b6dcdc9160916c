package io.statecast.consumer;

import java.time.Duration;
import java.util.List;

/**
 * Counters of a view, always available (Micrometer binding is optional): entries, stored bytes,
 * per-partition position and lag, what was read, how long things took, listeners, checksum
 * verification, snapshots, and how it started (a warm restart from a snapshot, or a full bootstrap and why).
 * The groups are small records; the flat accessors ({@link #recordsApplied()}, {@link #staleness()}, …)
 * are shortcuts into them.
 */
public record ViewStats(
        long entries,
        long storedBytes,
        List<PartitionProgress> partitions,
        Reading reading,
        Times times,
        List<ListenerStats> listeners,
        Checks checks,
        Snapshots snapshots) {

    /**
     * What the view read: state records applied and skipped, records (state records and marks) and their
     * key and value bytes fetched, partition resets, and the throws of user callbacks (filter, transform,
     * index extractor) it survived.
     */
    public record Reading(
            long recordsApplied,
            long recordsSkipped,
            long recordsFetched,
            long bytesFetched,
            long resets,
            long callbackFailures) {}

    /** Since when stale (zero when fresh), how long the bootstrap took (null until ready), the splay drawn. */
    public record Times(Duration staleness, Duration bootstrapDuration, Duration splay) {}

    /** Checksums classified: verified, mismatched, not comparable; partitions healed; alarms raised. */
    public record Checks(long verified, long mismatched, long notComparable, long heals, long alarms) {}

    /**
     * Warm restarts: how the view started (from a snapshot, or a full bootstrap and why), then the
     * snapshots it saved: written, failed (refused or not written; logged with the reason), how long the
     * last one held the poll thread (freezing the tables' picture; the whole write for the one at close,
     * which is written there) and how long it took to write (zero before the first).
     */
    public record Snapshots(String startMode, long saved, long failed, Duration lastPause, Duration lastWrite) {}

    /** Per listener: queued events, age of the oldest queued event, events dropped, exceptions thrown. */
    public record ListenerStats(String name, int queued, Duration oldest, long dropped, long failures) {}

    /** State records applied (bootstrap and tail). */
    public long recordsApplied() {
        return reading.recordsApplied();
    }

    /** Records skipped: undecodable, or without a key. */
    public long recordsSkipped() {
        return reading.recordsSkipped();
    }

    /** Records fetched from the brokers: state (or slice) records and marks. */
    public long recordsFetched() {
        return reading.recordsFetched();
    }

    /** Key and value bytes fetched from the brokers. */
    public long bytesFetched() {
        return reading.bytesFetched();
    }

    /** Times partitions were dropped and read again (offset out of range, topic recreated, mismatch). */
    public long resets() {
        return reading.resets();
    }

    /** How long the view has been stale (zero when the brokers answer). */
    public Duration staleness() {
        return times.staleness();
    }

    /** How long the bootstrap took; null until ready. */
    public Duration bootstrapDuration() {
        return times.bootstrapDuration();
    }

    /** How the view started: a warm restart from a snapshot, or a full bootstrap and why. */
    public String startMode() {
        return snapshots.startMode();
    }

    /** The start-up splay this view drew. */
    public Duration splay() {
        return times.splay();
    }
}
