package io.statecast.materializer;

import static io.statecast.materializer.MaterializerFixture.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every change accepted into {@code <ns>.changes} is processed exactly once, even when the materializer was
 * down while the log cleaner ran; a change the topic dropped before it was processed stops the materializer
 * with a clear error instead of being skipped in silence.
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ChangesRetentionIT {

    @Test
    void aChangeWrittenWhileTheMaterializerWasDownIsProcessedAfterTheCleanerRan(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        Map<String, Object> app = Map.of(MaterializerConfig.APPLICATION_ID, "app-" + ns.name());
        try (StatecastProducer<Node> p = producer(kafka, ns)) {
            try (Materializer m = MaterializerFixture.start(kafka, ns, app)) {
                for (int i = 1; i <= 3; i++) {
                    p.upsert("k", MaterializerSemanticsIT.node("k", i)).join();
                }
                awaitVersions(kafka, ns, List.of(1L, 2L, 3L));
            }
            // While it is down: two compare-and-sets, each valid after the one before.
            Receipt first =
                    p.upsert("k", MaterializerSemanticsIT.node("k", 4), 3).join();
            p.upsert("k", MaterializerSemanticsIT.node("k", 5), 4).join();
            letTheCleanerRun(kafka, ns, p, first);
            try (Materializer m = MaterializerFixture.start(kafka, ns, app)) {
                Conditions.waitFor(
                        "the change after the compare-and-sets is materialized",
                        Duration.ofSeconds(60),
                        () -> kafka.readToEnd(ns.state()).stream().anyMatch(r -> key(r).equals("roll")));
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), versionsOfK(kafka, ns), "both compare-and-sets were applied");
        assertTrue(
                kafka.readToEnd(ns.rejections()).stream().noneMatch(r -> key(r).equals("k")),
                "nothing of k was rejected");
    }

    @Test
    void changesDeletedBeforeTheyWereProcessedStopTheStartWithAnErrorNamingThem(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        Map<String, Object> app = Map.of(MaterializerConfig.APPLICATION_ID, "app-" + ns.name());
        Receipt lost;
        try (StatecastProducer<Node> p = producer(kafka, ns)) {
            try (Materializer m = MaterializerFixture.start(kafka, ns, app)) {
                p.upsert("a", MaterializerSemanticsIT.node("a", 1)).join();
                Conditions.waitFor(
                        "a is materialized",
                        Duration.ofSeconds(60),
                        () -> kafka.readToEnd(ns.state()).size() == 1);
            }
            lost = p.upsert("b", MaterializerSemanticsIT.node("b", 1)).join();
            Receipt kept = p.upsert("c", MaterializerSemanticsIT.node("c", 1)).join();
            // What retention does to the oldest segments, now: b is gone before it was processed. (Kafka deletes
            // records only from topics with cleanup.policy delete; a compacted changes topic is switched first.)
            ConfigResource changes = new ConfigResource(ConfigResource.Type.TOPIC, ns.changes());
            if (!config(kafka, changes).get("cleanup.policy").value().equals("delete")) {
                KafkaFixture.get(kafka.admin()
                        .incrementalAlterConfigs(Map.of(changes, List.of(set("cleanup.policy", "delete"))))
                        .all());
                Conditions.waitForEquals(
                        "cleanup.policy of " + ns.changes(),
                        Duration.ofSeconds(30),
                        "delete",
                        () -> config(kafka, changes).get("cleanup.policy").value());
            }
            KafkaFixture.get(kafka.admin()
                    .deleteRecords(
                            Map.of(new TopicPartition(ns.changes(), 0), RecordsToDelete.beforeOffset(kept.offset())))
                    .all());
        }
        ChangesLostException e = assertThrows(
                ChangesLostException.class,
                () -> MaterializerFixture.start(kafka, ns, app).close());
        assertEquals(0, e.partition());
        assertEquals(lost.offset(), e.firstLost(), e.getMessage());
        assertTrue(e.getMessage().contains(ns.changes()), e.getMessage());
    }

    @Test
    void theLagOnChangesAndTheWindowItMustStayUnderAreMetrics(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 2);
        try (StatecastProducer<Node> p = producer(kafka, ns);
                Materializer m = MaterializerFixture.start(kafka, ns, Map.of())) {
            p.upsert("a", MaterializerSemanticsIT.node("a", 1)).join();
            String window = "statecast_materializer_changes_window_seconds{namespace=\"" + ns.name() + "\"} 604800.0";
            String lag = "statecast_materializer_changes_lag_seconds{namespace=\"" + ns.name() + "\",partition=\"";
            Conditions.waitFor(
                    "the window (7 days) and a lag of 0 on both partitions in /metrics",
                    Duration.ofSeconds(90),
                    m::scrapeMetrics,
                    text -> text.contains(window)
                            && text.contains(lag + "0\"} 0.0")
                            && text.contains(lag + "1\"} 0.0"));
        }
    }

    @Test
    void aChangesTopicThatMayDropAChangeSoonerThanTheMinimumWindowIsRefusedAtStart(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        ConfigResource changes = new ConfigResource(ConfigResource.Type.TOPIC, ns.changes());
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(Map.of(changes, List.of(set("retention.ms", "3600000"))))
                .all());
        Conditions.waitForEquals(
                "retention.ms of " + ns.changes(),
                Duration.ofSeconds(30),
                "3600000",
                () -> config(kafka, changes).get("retention.ms").value());
        io.statecast.common.ConfigurationException e = assertThrows(
                io.statecast.common.ConfigurationException.class,
                () -> MaterializerFixture.start(kafka, ns, Map.of()).close());
        assertTrue(e.getMessage().contains("changes.min.window.ms"), e.getMessage());
        MaterializerFixture.start(kafka, ns, Map.of(MaterializerConfig.CHANGES_MIN_WINDOW_MS, 3_600_000L))
                .close(); // a shorter window the operator chose
    }

    // Small segments and a low dirty ratio on changes (its retention and compaction settings untouched), a
    // later change to roll the segment holding the compare-and-sets, and a witness that the cleaner ran: a
    // compacted topic forced through compaction. When changes is compactable (before: compact, no lag), also
    // until the cleaner dropped the first compare-and-set, so the test shows the loss deterministically.
    private static void letTheCleanerRun(KafkaFixture kafka, Namespace ns, StatecastProducer<Node> p, Receipt first) {
        ConfigResource changes = new ConfigResource(ConfigResource.Type.TOPIC, ns.changes());
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(
                        Map.of(changes, List.of(set("segment.ms", "100"), set("min.cleanable.dirty.ratio", "0.01"))))
                .all());
        Conditions.waitForEquals(
                "segment.ms of " + ns.changes(),
                Duration.ofSeconds(30),
                "100",
                () -> config(kafka, changes).get("segment.ms").value());
        p.upsert("roll", MaterializerSemanticsIT.node("roll", 1)).join();
        String witness = ns.name() + ".witness";
        kafka.createTopic(witness, 1, Map.of("cleanup.policy", "compact"));
        kafka.produce(witness, List.of(record(witness, "k", "1"), record(witness, "k", "2")));
        kafka.forceCompaction(witness, Duration.ofSeconds(60));
        Config c = config(kafka, changes);
        if (c.get("cleanup.policy").value().contains("compact")
                && Long.parseLong(c.get("min.compaction.lag.ms").value()) == 0) {
            Conditions.waitFor(
                    "the cleaner dropped the first compare-and-set from " + ns.changes(),
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns.changes()).stream().noneMatch(r -> r.offset() == first.offset()));
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key.getBytes(), value.getBytes());
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }

    private static Config config(KafkaFixture kafka, ConfigResource r) {
        return KafkaFixture.get(kafka.admin().describeConfigs(List.of(r)).all()).get(r);
    }

    private static void awaitVersions(KafkaFixture kafka, Namespace ns, List<Long> versions) {
        Conditions.waitForEquals("the versions of k", Duration.ofSeconds(60), versions, () -> versionsOfK(kafka, ns));
    }

    private static List<Long> versionsOfK(KafkaFixture kafka, Namespace ns) {
        return kafka.readToEnd(ns.state()).stream()
                .filter(r -> key(r).equals("k"))
                .map(ConsumerRecord::value)
                .map(v -> Envelopes.stateRecord().decode(v).getVersion())
                .toList();
    }

    private static StatecastProducer<Node> producer(KafkaFixture kafka, Namespace ns) {
        return StatecastProducer.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .producerId("it")
                .build();
    }
}
