package io.statecast.consumer.internal;

import io.statecast.common.Digest;

/**
 * Everything the view knows about one state partition, so that a partition can be dropped and read
 * again alone: its entries, the digest of the (key, value bytes as read) it applied — entries the
 * filter dropped included, by their hash — its position, and how far in {@code changes} it has seen.
 */
final class PartitionState {
    /** No {@code sc.stateSrcOffset} header on a mark (a materializer from before it). */
    static final long UNKNOWN = Long.MIN_VALUE;

    final int partition;
    final EntryTable entries = new EntryTable();
    final Digest digest = new Digest();
    /** Entry hashes of keys whose stored bytes are not the bytes read (filtered out or transformed). */
    final ForeignHashes foreignHashes = new ForeignHashes();

    long endOffset = -1;
    long position;
    long records;
    long bytes;
    long lag;
    /** Highest srcOffset of a state record applied. */
    long appliedSrcOffset = -1;
    /** A progress mark or checksum srcOffset that becomes effective once position reaches requiredPosition. */
    long pendingMarkSrcOffset = -1;

    long pendingMarkPosition = Long.MAX_VALUE;
    /** The pending mark's {@code sc.stateSrcOffset} ({@link #UNKNOWN} without one) and when to stop waiting for it. */
    long pendingMarkStateSrc = UNKNOWN;

    long pendingMarkDeadlineNanos;
    /** Highest srcOffset known processed by the materializer and reflected here. */
    long markSrcOffset = -1;

    /** Digest after each applied record, for checksum comparison. */
    final DigestHistory history;
    /** Checksums read but not yet comparable: they count once position reaches their required position. */
    final java.util.ArrayDeque<PendingCheck> pendingChecks = new java.util.ArrayDeque<>();
    /** A mismatch healed and no checksum verified since: a second mismatch raises an alarm instead. */
    boolean healing;
    /** The table was presized for a bootstrap's records: trim it once the bootstrap reached its end. */
    boolean presized;

    /** Mismatching checksums awaiting their final verdict (see {@link Verifier}), oldest first. */
    final java.util.ArrayDeque<Suspect> suspects = new java.util.ArrayDeque<>();

    /** A mismatching checksum, judged again once decisive or due; requiredPosition -1 until asked. */
    record Suspect(io.statecast.schemas.Checksum checksum, long dueNanos, long requiredPosition) {}

    /**
     * A checksum waiting until the view has read the state partition as far as it stood when read and,
     * when the checksum says which state record it follows, that record (or until the deadline).
     */
    record PendingCheck(
            io.statecast.schemas.Checksum checksum, long requiredPosition, long stateSrc, long deadlineNanos) {}

    /**
     * Whether this partition has applied the state record a mark follows: always for a mark without
     * the header; else once a record with that srcOffset or a later one was applied. The cleaner may
     * have removed that record (a tombstone past {@code delete.retention.ms}) with nothing after it, so
     * past the deadline the stable-offset rule alone decides.
     */
    boolean reached(long stateSrc, long deadlineNanos) {
        return stateSrc == UNKNOWN || appliedSrcOffset >= stateSrc || System.nanoTime() - deadlineNanos >= 0;
    }

    PartitionState(int partition, int historyCapacity) {
        this.partition = partition;
        this.history = new DigestHistory(historyCapacity);
    }

    /** Everything the view has seen of {@code changes} up to here, included. */
    long seenSrcOffset() {
        return Math.max(appliedSrcOffset, markSrcOffset);
    }

    void reset() {
        entries.clear();
        digest.clear();
        foreignHashes.clear();
        endOffset = -1;
        position = 0;
        records = 0;
        bytes = 0;
        appliedSrcOffset = -1;
        pendingMarkSrcOffset = -1;
        pendingMarkPosition = Long.MAX_VALUE;
        pendingMarkStateSrc = UNKNOWN;
        markSrcOffset = -1;
        history.clear();
        pendingChecks.clear();
        suspects.clear();
        presized = false;
    }
}
