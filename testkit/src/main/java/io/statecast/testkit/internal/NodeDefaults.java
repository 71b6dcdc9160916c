package io.statecast.testkit.internal;

import java.util.Properties;

/** The broker settings every testkit cluster shares: internal topics sized to it, settings for fast tests. */
public final class NodeDefaults {
    private NodeDefaults() {}

    /** Puts the shared settings of a cluster of {@code brokers} brokers into {@code p}. */
    public static void apply(Properties p, int brokers) {
        short rf = (short) Math.min(3, brokers);
        p.put("offsets.topic.replication.factor", Short.toString(rf));
        p.put("transaction.state.log.replication.factor", Short.toString(rf));
        p.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, rf)));
        p.put("share.coordinator.state.topic.replication.factor", Short.toString(rf));
        p.put("share.coordinator.state.topic.min.isr", Integer.toString(Math.min(2, rf)));
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // Lets tests force compaction quickly (see KafkaFixture#forceCompaction).
        p.put("log.cleaner.backoff.ms", "200");
        p.put("log.segment.delete.delay.ms", "1000");
        p.put("unstable.api.versions.enable", "false");
        p.put("unstable.feature.versions.enable", "false");
    }
}
