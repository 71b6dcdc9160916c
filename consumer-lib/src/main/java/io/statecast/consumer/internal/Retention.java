package io.statecast.consumer.internal;

/**
 * The rule of a compacted topic's tombstones: the cleaner removes a tombstone once it is older than the
 * topic's {@code delete.retention.ms}, so a reader that was last caught up (read to the log's end) longer
 * ago than that may never see deletes written since, and must read the partition again from the
 * beginning. A margin (a tenth of the retention, at most an hour) covers the time the reader needs to
 * reach a tombstone once it resumes, and the difference between the brokers' clocks and the view's.
 */
final class Retention {
    private static final long MAX_MARGIN_MS = 3_600_000L;

    private Retention() {}

    static long marginMs(long retentionMs) {
        return Math.min(retentionMs / 10, MAX_MARGIN_MS);
    }

    /** Whether a partition last caught up at {@code caughtUpAtMs} (-1: unknown) may have missed deletes. */
    static boolean mayHaveMissedDeletes(long caughtUpAtMs, long nowMs, long retentionMs) {
        return caughtUpAtMs < 0 || nowMs - caughtUpAtMs > retentionMs - marginMs(retentionMs);
    }

    /** Why, for a log line or a start mode: "partition 3 was last caught up 90000000 ms ago, …". */
    static String why(String what, long caughtUpAtMs, long nowMs, long retentionMs, String topic) {
        String when = caughtUpAtMs < 0
                ? what + " was never caught up"
                : what + " was last caught up " + (nowMs - caughtUpAtMs) + " ms ago";
        return when + ", more than delete.retention.ms=" + retentionMs + " of " + topic + " minus a margin of "
                + marginMs(retentionMs) + " ms, so deletes may have been missed";
    }
}
