package io.statecast.consumer.internal;

import io.statecast.consumer.PartitionProgress;

/**
 * How far the view has read one state partition: records and bytes read, the end offset captured when
 * its bootstrap started, the consumer's position and lag. Written by the poll thread, read under the
 * view's lock.
 */
final class ReadProgress {
    long endOffset = -1;
    long position;
    long records;
    long bytes;
    long lag;
    /**
     * The wall time (ms) the partition was last known read to its log's end — its position at or past an
     * end offset asked of the brokers then, or the start of a read from the beginning — and -1 before a
     * read started. Tombstones stay {@code delete.retention.ms} in the log: a partition not caught up for
     * longer may have missed deletes ({@link Retention}).
     */
    long caughtUpAtMs = -1;
    /** The table was presized for a bootstrap's records: trim it once the bootstrap reached its end. */
    boolean presized;

    /** A state record was read (whether applied or skipped). */
    void read(int serializedValueSize) {
        records++;
        bytes += Math.max(0, serializedValueSize);
    }

    /**
     * Ready only when the position reached the end offset captured at start — never "last record + 1":
     * transaction markers occupy offsets.
     */
    boolean reachedEnd() {
        return position >= endOffset;
    }

    PartitionProgress snapshot(int partition) {
        return new PartitionProgress(partition, records, bytes, endOffset, position, lag);
    }

    void reset() {
        endOffset = -1;
        position = 0;
        records = 0;
        bytes = 0;
        presized = false;
        caughtUpAtMs = -1;
    }
}
