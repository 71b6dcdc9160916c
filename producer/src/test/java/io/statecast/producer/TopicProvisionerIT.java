package io.statecast.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.TopicMismatchException;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicProvisionerIT {

    @Test
    void createsEveryTopicWithItsConfigsAndASecondRunIsANoOp(KafkaFixture kafka) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            assertEquals(
                    ns.topics().size(),
                    p.create(ns, TopicOptions.defaults().withPartitions(4)).size());
            assertEquals(List.of(), p.create(ns, TopicOptions.defaults().withPartitions(4)));
            Map<String, TopicProvisioner.TopicInfo> byName = new java.util.HashMap<>();
            p.describe(ns).forEach(t -> byName.put(t.name(), t));
            assertEquals(4, byName.get(ns.state().toString()).partitions());
            assertEquals(1, byName.get(ns.schemas()).partitions());
            assertEquals("compact", byName.get(ns.state()).configs().get("cleanup.policy"));
            assertEquals("100000", byName.get(ns.state()).configs().get("min.compaction.lag.ms"));
            assertEquals("compact,delete", byName.get(ns.checksums()).configs().get("cleanup.policy"));
            assertEquals("delete", byName.get(ns.rejections()).configs().get("cleanup.policy"));
        }
    }

    /**
     * A compacted changes topic without a compaction lag let the cleaner drop a change the materializer
     * had not processed yet (an UPSERT superseded by a later one of its key); changes is now kept whole for
     * a retention window measured by the broker's clock.
     */
    @Test
    void changesKeepsEveryChangeForItsRetentionWindowByTheBrokersClock(KafkaFixture kafka) throws Exception {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(2));
            p.create(Namespace.of(ns.name() + "-3d"), TopicOptions.defaults().withChangesRetention(Duration.ofDays(3)));
        }
        var changes = new ConfigResource(ConfigResource.Type.TOPIC, ns.changes());
        var shorter = new ConfigResource(ConfigResource.Type.TOPIC, ns.name() + "-3d.changes");
        var configs =
                kafka.admin().describeConfigs(List.of(changes, shorter)).all().get();
        assertEquals("delete", configs.get(changes).get("cleanup.policy").value());
        assertEquals("604800000", configs.get(changes).get("retention.ms").value(), "7 days");
        assertEquals(
                "LogAppendTime",
                configs.get(changes).get("message.timestamp.type").value());
        assertEquals("259200000", configs.get(shorter).get("retention.ms").value());
    }

    @Test
    void aMismatchingTopicIsAnErrorNamingTheDifferenceAndNothingIsCreated(KafkaFixture kafka) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        kafka.createTopic(ns.state(), 3, Map.of("cleanup.policy", "delete"));
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            TopicMismatchException e = assertThrows(
                    TopicMismatchException.class,
                    () -> p.create(ns, TopicOptions.defaults().withPartitions(6)));
            assertTrue(e.getMessage().contains("3 partitions, expected 6"), e.getMessage());
            assertTrue(e.getMessage().contains("cleanup.policy=delete, expected compact"), e.getMessage());
            assertFalse(
                    p.describe(ns).stream()
                            .filter(t -> t.name().equals(ns.changes()))
                            .findFirst()
                            .orElseThrow()
                            .exists(),
                    "nothing created");
        }
    }

    @Test
    void aSliceTopicFollowsTheStateTopicsCompactionRulesAndItsChecksumsThoseOfChecksums(KafkaFixture kafka)
            throws Exception {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig());
                org.apache.kafka.clients.admin.Admin admin =
                        org.apache.kafka.clients.admin.Admin.create(kafka.clientConfig())) {
            p.create(
                    ns,
                    TopicOptions.defaults().withPartitions(2).withChecksumInterval(java.time.Duration.ofSeconds(3)));
            assertEquals(
                    List.of(ns.slice("by-node"), ns.sliceChecksums("by-node")),
                    p.addSlice(ns, SliceSpec.parse("by-node=node:5"), io.statecast.schemas.demo.Pod.getClassSchema()));
            assertEquals(List.of(), p.addSlice(ns, SliceSpec.parse("by-node=node:5"), null), "idempotent");
            var slice = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, ns.slice("by-node"));
            var sums = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, ns.sliceChecksums("by-node"));
            var configs = admin.describeConfigs(List.of(slice, sums)).all().get();
            assertEquals("compact", configs.get(slice).get("cleanup.policy").value());
            assertEquals(
                    "30000", configs.get(slice).get("min.compaction.lag.ms").value());
            assertEquals(
                    "compact,delete", configs.get(sums).get("cleanup.policy").value());
            List<TopicProvisioner.SliceInfo> slices = p.slices(ns);
            assertEquals(1, slices.size());
            assertEquals("node", slices.get(0).field());
            assertEquals(5, slices.get(0).partitions());
            assertTrue(slices.get(0).topicsExist());
        }
    }
}
