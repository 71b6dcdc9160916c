package io.statecast.consumer.internal;

import io.statecast.consumer.ViewStats;
import io.statecast.consumer.internal.ChecksumJudge.Verdict;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The view's counters (written by the poll thread, read by {@code stats()} from any thread). */
final class ViewCounters {
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong fetchedRecords = new AtomicLong();
    private final AtomicLong fetchedBytes = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong callbackFailures = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong mismatched = new AtomicLong();
    private final AtomicLong notComparable = new AtomicLong();
    private final AtomicLong heals = new AtomicLong();
    private final AtomicLong alarms = new AtomicLong();
    private final AtomicLong snapshotsSaved = new AtomicLong();
    private final AtomicLong snapshotsFailed = new AtomicLong();
    private volatile long snapshotPauseNanos;
    private volatile long snapshotWriteNanos;

    /** A batch of {@code read} records ({@code bytes} of keys and values) applied {@code records}. */
    void applied(int records, int read, long bytes) {
        applied.addAndGet(records);
        fetched(read, bytes);
    }

    /** Records fetched (state or marks), whether applied or not. */
    void fetched(int records, long bytes) {
        fetchedRecords.addAndGet(records);
        fetchedBytes.addAndGet(bytes);
    }

    /** Counts a skipped record; returns how many were skipped so far. */
    long skipped() {
        return skipped.incrementAndGet();
    }

    /** Counts a user callback that threw; returns how many did so far. */
    long callbackFailed() {
        return callbackFailures.incrementAndGet();
    }

    void reset() {
        resets.incrementAndGet();
    }

    /** Counts a checksum's verdict: a heal and an alarm are both a mismatch. */
    void judged(Verdict v) {
        if (v == Verdict.VERIFIED) {
            verified.incrementAndGet();
        } else if (v == Verdict.NOT_COMPARABLE) {
            notComparable.incrementAndGet();
        } else { // HEAL or ALARM: a final mismatch either way
            mismatched.incrementAndGet();
            (v == Verdict.HEAL ? heals : alarms).incrementAndGet();
        }
    }

    /** A snapshot save: whether it was written, how long it held the poll thread, how long it took to write. */
    void snapshot(boolean saved, long pauseNanos, long writeNanos) {
        (saved ? snapshotsSaved : snapshotsFailed).incrementAndGet();
        snapshotPauseNanos = pauseNanos;
        snapshotWriteNanos = writeNanos;
    }

    ViewStats.Snapshots snapshots(String startMode) {
        return new ViewStats.Snapshots(
                startMode,
                snapshotsSaved.get(),
                snapshotsFailed.get(),
                Duration.ofNanos(snapshotPauseNanos),
                Duration.ofNanos(snapshotWriteNanos));
    }

    ViewStats.Reading reading() {
        return new ViewStats.Reading(
                applied.get(),
                skipped.get(),
                fetchedRecords.get(),
                fetchedBytes.get(),
                resets.get(),
                callbackFailures.get());
    }

    ViewStats.Checks checks() {
        return new ViewStats.Checks(verified.get(), mismatched.get(), notComparable.get(), heals.get(), alarms.get());
    }
}
