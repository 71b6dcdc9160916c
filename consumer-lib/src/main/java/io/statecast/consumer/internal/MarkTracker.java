package io.statecast.consumer.internal;

/**
 * Read-your-writes for one partition: how far in {@code changes} the view has seen. That is the highest
 * srcOffset of a state record it applied, or of a mark (progress mark or checksum) that became usable:
 * rejected and no-op writes produce no state record, only marks. Of the marks not yet usable only the
 * highest is kept (a later one covers an earlier one).
 */
final class MarkTracker {
    private long applied = -1;
    private long marked = -1;
    private PendingMark pending;

    /** A state record with this srcOffset was applied. */
    void applied(long srcOffset) {
        if (srcOffset > applied) {
            applied = srcOffset;
        }
    }

    /** A mark was read; it waits until it is due. */
    void offer(PendingMark mark) {
        if (mark.srcOffset() > (pending == null ? -1 : pending.srcOffset())) {
            pending = mark;
        }
    }

    /** After a poll: the pending mark counts once due at this position. */
    void settle(long position, long nowNanos) {
        if (pending != null && pending.due(position, applied, nowNanos)) {
            marked = Math.max(marked, pending.srcOffset());
            pending = null;
        }
    }

    /** Everything the view has seen of {@code changes} up to here, included. */
    long seen() {
        return Math.max(applied, marked);
    }

    /** The highest srcOffset of a state record applied (-1: none). */
    long applied() {
        return applied;
    }

    /** The highest srcOffset of a mark that counted (-1: none). */
    long marked() {
        return marked;
    }

    /** The mark waiting to count, or null. */
    PendingMark pending() {
        return pending;
    }

    /** Back to what a snapshot saved. */
    void restore(long appliedSrcOffset, long markSrcOffset) {
        applied = appliedSrcOffset;
        marked = markSrcOffset;
        pending = null;
    }

    void reset() {
        restore(-1, -1);
    }
}
