package io.statecast.consumer.internal;

/**
 * One state partition of the view: its table, how far it was read, its read-your-writes marks and its
 * checksums on their way to a verdict. Each part has one writer (the poll thread) and one rule.
 */
final class Partition {
    final int id;
    final PartitionTable table;
    final ReadProgress progress = new ReadProgress();
    final MarkTracker marks = new MarkTracker();
    final PartitionChecks checks;
    /**
     * False while the partition is read again after a reset (a heal, an offset out of range, ...): its
     * entries are partial, and reads of it wait or fail instead of answering. Written under the write lock.
     */
    volatile boolean whole = true;

    /** @param judge the view's checksum judge; null when the view does not verify */
    Partition(int id, PartitionTable table, ChecksumJudge judge) {
        this(id, "partition " + id, table, judge);
    }

    /** @param where what the partition is called in log lines and alarms (a slice view's name two numbers) */
    Partition(int id, String where, PartitionTable table, ChecksumJudge judge) {
        this.id = id;
        this.table = table;
        this.checks = new PartitionChecks(where, table.history, table.digest, judge);
    }

    /** Drops everything read, to read the partition again from the beginning. */
    void reset() {
        table.clear();
        progress.reset();
        marks.reset();
        checks.reset();
    }
}
