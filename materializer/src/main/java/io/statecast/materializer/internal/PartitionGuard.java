package io.statecast.materializer.internal;

import io.statecast.materializer.PartitionCountChangedException;
import java.util.Set;
import java.util.function.IntSupplier;
import org.apache.kafka.common.utils.Utils;

/**
 * The namespace's partitions as found at start, and the checks that keep them: a task of a partition beyond
 * that count, or a change in another partition than Kafka's default partitioner gives its key, means either
 * partitions were added (the materializer halts: keys move and would start over at version 1) or one writer
 * does not partition by key (that change is rejected).
 */
public final class PartitionGuard {
    private final String changes;
    private final int count;
    private final Set<Integer> populated;
    private final IntSupplier countNow;

    /**
     * @param count partitions of changes, state and checksums at start
     * @param populated partitions whose state log held records at start: their task must find its meta row
     * @param countNow asks the broker for the changes topic's partition count now
     */
    public PartitionGuard(String changes, int count, Set<Integer> populated, IntSupplier countNow) {
        this.changes = changes;
        this.count = count;
        this.populated = Set.copyOf(populated);
        this.countNow = countNow;
    }

    /** Partitions of changes, state and checksums at start: what marks carry as {@code sc.partitions}. */
    public int count() {
        return count;
    }

    /** Whether the state log of {@code partition} held records at start. */
    public boolean populated(int partition) {
        return populated.contains(partition);
    }

    /** @throws PartitionCountChangedException for a task of a partition added after start */
    public void checkTask(int partition) {
        if (partition >= count) {
            throw new PartitionCountChangedException(changes, count, countNow.getAsInt());
        }
    }

    /**
     * Null when {@code key} belongs in {@code partition}, else why not (the change is rejected).
     *
     * @throws PartitionCountChangedException when it does not because the topic has another count now
     */
    public String misplaced(byte[] key, int partition) {
        int expected = count == 1 ? 0 : partition(key, count);
        if (expected == partition) {
            return null;
        }
        int now = countNow.getAsInt();
        if (now != count) {
            throw new PartitionCountChangedException(changes, count, now);
        }
        return "the key belongs in partition " + expected + " of " + changes + " (Kafka's default partitioner over "
                + count + " partitions), not in partition " + partition + ": write changes with the default"
                + " partitioner";
    }

    /** Kafka's default partitioner for a key: {@code toPositive(murmur2(key)) % partitions}. */
    static int partition(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
