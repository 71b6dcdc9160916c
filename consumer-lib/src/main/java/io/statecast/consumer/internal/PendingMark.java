package io.statecast.consumer.internal;

/**
 * When a mark read from the checksums topic (a progress mark or a checksum) may be used: once the view's
 * position in the state partition reached {@code requiredPosition}, the partition's high watermark (its
 * read-uncommitted end) asked of the brokers after the mark was read, never less than the end captured
 * when the partition's read started. The mark's transaction wrote its state records before it committed,
 * so they lie below that offset; a {@code read_committed} position passes it only once every transaction
 * with records below it is decided, the mark's own included. So a position there has applied everything
 * the mark covers, whatever order the transaction's commit markers reached the two partitions in, with no
 * grace period and no need for the {@code sc.stateSrcOffset} header.
 *
 * @param srcOffset the {@code changes} offset the materializer says it processed
 */
record PendingMark(long srcOffset, long requiredPosition) {

    /** Whether the mark counts at this position. */
    boolean due(long position) {
        return position >= requiredPosition;
    }
}
