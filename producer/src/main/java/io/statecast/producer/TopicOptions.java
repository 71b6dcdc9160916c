package io.statecast.producer;

import java.time.Duration;

/**
 * How {@link TopicProvisioner} creates a namespace's topics.
 *
 * @param partitions partitions of {@code changes}, {@code state} and {@code checksums} (equal: co-partitioning)
 * @param replicationFactor replication factor of every topic; {@code min.insync.replicas} = min(2, RF)
 * @param checksumInterval the materializer's checksum interval; {@code state} keeps
 *        {@code min.compaction.lag.ms} = 10 × this, so checksums stay comparable
 * @param changesRetention how long {@code changes} keeps every change ({@code cleanup.policy=delete},
 *        {@code retention.ms}): longer than any outage or backlog of the materializer may last
 * @param history create {@code <ns>.history}
 * @param historyRetention retention of history; null = infinite
 */
public record TopicOptions(
        int partitions,
        short replicationFactor,
        Duration checksumInterval,
        Duration changesRetention,
        boolean history,
        Duration historyRetention) {

    /** Default retention of {@code changes}: 7 days. */
    public static final Duration DEFAULT_CHANGES_RETENTION = Duration.ofDays(7);

    /** Defaults: 6 partitions, RF 1, 10 s checksums, changes kept 7 days, history kept forever. */
    public static TopicOptions defaults() {
        return new TopicOptions(6, (short) 1, Duration.ofSeconds(10), DEFAULT_CHANGES_RETENTION, true, null);
    }

    public TopicOptions withPartitions(int p) {
        return new TopicOptions(p, replicationFactor, checksumInterval, changesRetention, history, historyRetention);
    }

    public TopicOptions withReplicationFactor(short rf) {
        return new TopicOptions(partitions, rf, checksumInterval, changesRetention, history, historyRetention);
    }

    public TopicOptions withChecksumInterval(Duration d) {
        return new TopicOptions(partitions, replicationFactor, d, changesRetention, history, historyRetention);
    }

    public TopicOptions withHistory(boolean on) {
        return new TopicOptions(
                partitions, replicationFactor, checksumInterval, changesRetention, on, historyRetention);
    }

    public TopicOptions withChangesRetention(Duration d) {
        return new TopicOptions(partitions, replicationFactor, checksumInterval, d, history, historyRetention);
    }
}
