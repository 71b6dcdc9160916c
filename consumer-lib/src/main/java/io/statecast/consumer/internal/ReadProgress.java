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
    }
}
