package io.statecast.producer;

import java.time.Duration;

/**
 * How {@link TopicProvisioner} creates a namespace's topics.
 *
 * @param partitions partitions of {@code changes}, {@code state} and {@code checksums} (equal: co-partitioning)
 * @param replicationFactor replication factor of every topic; {@code min.insync.replicas} = min(2, RF)
 * @param checksumInterval the materializer's checksum interval; {@code state} keeps
 *        {@code min.compaction.lag.ms} = 10 × this, so checksums stay comparable
 * @param changesCompactDelete {@code changes} with {@code compact,delete} instead of {@code compact}
 * @param history create {@code <ns>.history}
 * @param historyRetention retention of history; null = infinite
 */
public record TopicOptions(
        int partitions,
        short replicationFactor,
        Duration checksumInterval,
        boolean changesCompactDelete,
        boolean history,
        Duration historyRetention) {

    /** Defaults: 6 partitions, RF 1, 10 s checksums, compacted changes, history kept forever. */
    public static TopicOptions defaults() {
        return new TopicOptions(6, (short) 1, Duration.ofSeconds(10), false, true, null);
    }

    public TopicOptions withPartitions(int p) {
        return new TopicOptions(
                p, replicationFactor, checksumInterval, changesCompactDelete, history, historyRetention);
    }

    public TopicOptions withReplicationFactor(short rf) {
        return new TopicOptions(partitions, rf, checksumInterval, changesCompactDelete, history, historyRetention);
    }

    public TopicOptions withChecksumInterval(Duration d) {
        return new TopicOptions(partitions, replicationFactor, d, changesCompactDelete, history, historyRetention);
    }

    public TopicOptions withHistory(boolean on) {
        return new TopicOptions(
                partitions, replicationFactor, checksumInterval, changesCompactDelete, on, historyRetention);
    }
}
