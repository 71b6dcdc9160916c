package io.statecast.audit.internal;

/**
 * Whether the replay of a log is exact at a checkpoint, i.e. whether it may be compared with a checksum
 * there. See docs/audit.md, "Which checkpoints are comparable".
 */
public interface Comparability {

    /**
     * @param atEnd no record of the partition lies after the checkpoint
     * @param nextTimestampMs the timestamp of the first record after the checkpoint (when not at the end)
     */
    boolean exact(boolean atEnd, long nextTimestampMs);

    /** An append-only log (a complete {@code history}): every checkpoint is exact. */
    static Comparability appendOnly() {
        return (atEnd, next) -> true;
    }

    /**
     * A compacted log. The cleaner removes a record only because of a newer record of the same key in a
     * segment it may clean, and with {@code min.compaction.lag.ms} = L it never cleans a segment whose
     * largest timestamp is later than (its now − L). So when the first record after the checkpoint is
     * later than (now − L + margin), neither it nor anything after it was ever cleanable, no record
     * before the checkpoint was removed for it, and the replay there is exact. At the end of the log the
     * replay is always exact (compaction keeps every key's latest record). With L = 0 only the end is.
     *
     * @param lagMs the topic's {@code min.compaction.lag.ms}
     * @param nowMs the auditor's clock
     * @param clockMarginMs how far the broker's clock may run ahead of the auditor's
     */
    static Comparability compacted(long lagMs, long nowMs, long clockMarginMs) {
        return (atEnd, next) -> atEnd || (lagMs > 0 && next > nowMs - lagMs + clockMarginMs);
    }
}
