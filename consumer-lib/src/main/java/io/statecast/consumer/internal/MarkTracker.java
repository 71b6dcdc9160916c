package io.statecast.consumer.internal;

import java.util.ArrayDeque;

/**
 * Read-your-writes for one partition: how far in {@code changes} the view has seen. That is the highest
 * srcOffset of a state record it applied, or of a mark (progress mark or checksum) that became usable:
 * rejected and no-op writes produce no state record, only marks. Marks not yet usable wait in a queue, in
 * the order they were read (their required positions never decrease), and each counts as soon as the
 * position passes its own requirement: a stream of newer marks, each ahead of the view, never postpones an
 * older one (a single slot, overwritten by every newer mark, once did).
 */
final class MarkTracker {
    /** Marks kept waiting at most; beyond, the oldest goes (the next one covers it, a little later). */
    static final int MAX_PENDING = 1_024;

    private long applied = -1;
    private long marked = -1;
    private final ArrayDeque<PendingMark> pending = new ArrayDeque<>();

    /** A state record with this srcOffset was applied. */
    void applied(long srcOffset) {
        if (srcOffset > applied) {
            applied = srcOffset;
        }
    }

    /**
     * A mark was read; it waits until it is due. One covering no more than what already counts or waits is
     * dropped; one that covers more for no longer a wait replaces those it makes useless.
     */
    void offer(PendingMark mark) {
        PendingMark tail = pending.peekLast();
        if (mark.srcOffset() <= Math.max(marked, tail == null ? -1 : tail.srcOffset())) {
            return;
        }
        while (tail != null && tail.requiredPosition() >= mark.requiredPosition()) {
            pending.pollLast();
            tail = pending.peekLast();
        }
        pending.addLast(mark);
        if (pending.size() > MAX_PENDING) {
            pending.pollFirst();
        }
    }

    /** After a poll: the pending marks that are due at this position count, oldest first. */
    void settle(long position) {
        PendingMark head;
        while ((head = pending.peekFirst()) != null && head.due(position)) {
            marked = Math.max(marked, head.srcOffset());
            pending.pollFirst();
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

    /** How many marks wait to count. */
    int pending() {
        return pending.size();
    }

    /** Back to what a snapshot saved. */
    void restore(long appliedSrcOffset, long markSrcOffset) {
        applied = appliedSrcOffset;
        marked = markSrcOffset;
        pending.clear();
    }

    void reset() {
        restore(-1, -1);
    }
}
