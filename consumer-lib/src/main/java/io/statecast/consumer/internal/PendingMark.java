package io.statecast.consumer.internal;

import java.util.concurrent.TimeUnit;

/**
 * When a mark read from the checksums topic (a progress mark or a checksum) may be used. Marks live in
 * another topic than the state records they cover, so a mark counts once the view's position in the
 * state partition reached {@code requiredPosition} — the partition's last stable offset asked of the
 * broker after the mark was read, never less than the end captured at start — and it applied the state
 * record the mark follows: a transaction's commit markers reach the checksums and state partitions one
 * at a time, so the stable offset alone can stop short of that record. The record can be gone (a
 * tombstone the cleaner removed) or unnamed (a materializer from before {@code sc.stateSrcOffset}):
 * past the deadline, or without the header, the stable-offset rule alone decides.
 *
 * @param srcOffset the {@code changes} offset the materializer says it processed
 * @param stateSrc the srcOffset of the state record the mark follows, {@link #UNKNOWN} without the header
 */
record PendingMark(long srcOffset, long requiredPosition, long stateSrc, long deadlineNanos) {
    /** No {@code sc.stateSrcOffset} header on the mark. */
    static final long UNKNOWN = Long.MIN_VALUE;
    /** How long a mark waits for the state record it names; also the second look at a suspect checksum. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Whether the mark counts at this position, with this highest applied srcOffset, now. */
    boolean due(long position, long appliedSrc, long nowNanos) {
        return position >= requiredPosition && reached(appliedSrc, nowNanos);
    }

    /** Whether the state record the mark follows is applied, the mark names none, or the grace ran out. */
    boolean reached(long appliedSrc, long nowNanos) {
        return stateSrc == UNKNOWN || appliedSrc >= stateSrc || nowNanos - deadlineNanos >= 0;
    }

    /** Whether the named state record is applied: a comparison made now is exact. */
    boolean exact(long appliedSrc) {
        return stateSrc != UNKNOWN && appliedSrc >= stateSrc;
    }
}
