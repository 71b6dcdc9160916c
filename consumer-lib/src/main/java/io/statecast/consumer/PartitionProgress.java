package io.statecast.consumer;

/**
 * Bootstrap and tail progress of one partition: records and bytes read, the end offset captured at
 * start, the current position, the latest known lag.
 */
public record PartitionProgress(int partition, long records, long bytes, long endOffset, long position, long lag) {
    /** Bootstrap progress in percent (100 once the captured end offset is reached). */
    public double percent() {
        return endOffset <= 0 ? 100.0 : Math.min(100.0, 100.0 * position / endOffset);
    }
}
