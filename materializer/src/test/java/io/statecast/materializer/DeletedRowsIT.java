package io.statecast.materializer;

import static io.statecast.materializer.MaterializerFixture.key;
import static io.statecast.materializer.MaterializerFixture.nodeProducer;
import static io.statecast.materializer.MaterializerFixture.startAs;
import static io.statecast.materializer.MaterializerFixture.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deleted keys do not pile up in the materializer's store (issue 20, scenario 12): a deleted row is purged
 * once half the state topic's {@code delete.retention.ms} has passed since the delete, and a key the table no
 * longer holds gets a version above every purged one (the partition's version floor), also after a rebuild of
 * the store from a state log whose tombstones the cleaner removed. Before, every deleted key kept its row for
 * ever (pods have unique names: the store and its restore time grew without bound), and a rebuild from a
 * cleaned log started such a key over at version 1.
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DeletedRowsIT {
    private static final byte[] ROLL = (KafkaFixture.ROLL_MARKER_KEY_PREFIX + "0").getBytes(StandardCharsets.UTF_8);
    private static final List<String> PODS =
            IntStream.range(0, 20).mapToObj(i -> "pod-" + i).toList();

    @Test
    void deletedRowsArePurgedAndAKeyCreatedAfterwardsGetsAVersionAboveEveryPurgedOne(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        setConfig(kafka, ns.state(), "delete.retention.ms", "4000");
        try (StatecastProducer<Node> p = nodeProducer(kafka, ns);
                Materializer m = startAs(kafka, ns, "purge-" + ns.name())) {
            for (String pod : PODS) {
                p.upsert(pod, MaterializerSemanticsIT.node(pod, 1)).join(); // v1
                p.delete(pod).join(); // v2
            }
            p.upsert("back", MaterializerSemanticsIT.node("back", 1)).join(); // v1
            p.upsert("back", MaterializerSemanticsIT.node("back", 2)).join(); // v2
            p.delete("back").join(); // v3: the highest version deleted
            Conditions.waitFor(
                    "no deleted row is kept (GET /state/{key} names no deletedAtVersion)",
                    Duration.ofSeconds(60),
                    () -> keptRows(m),
                    List::isEmpty);
            // Compare-and-set sees a purged key as it saw the deleted one: absent, version 0.
            p.upsert("back", MaterializerSemanticsIT.node("back", 3), 3).join();
            p.upsert("back", MaterializerSemanticsIT.node("back", 4), 0).join();
            p.upsert("fresh", MaterializerSemanticsIT.node("fresh", 1)).join();
            awaitInState(kafka, ns, "fresh");
            assertTrue(
                    m.scrapeMetrics().contains("statecast_materializer_deleted_rows_purged_total"),
                    "the purge is counted");
        }
        assertEquals(List.of(1L, 2L, 4L), versions(kafka, ns, "back"), "back goes on above its purged row (v3)");
        assertEquals(List.of(4L), versions(kafka, ns, "fresh"), "a new key starts above the floor (3)");
        assertEquals(
                List.of(RejectionReason.VERSION_CONFLICT),
                rejections(kafka, ns),
                "expectedVersion 3 for the purged key is a conflict, as for a deleted key");
    }

    @Test
    void aKeyRecreatedAfterItsTombstoneWasCleanedGetsAHigherVersionAlsoAfterARebuildFromTheStateLog(
            KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        setConfig(kafka, ns.state(), "delete.retention.ms", "4000");
        try (StatecastProducer<Node> p = nodeProducer(kafka, ns)) {
            try (Materializer m = startAs(kafka, ns, "first-" + ns.name())) {
                p.upsert("pod-0", MaterializerSemanticsIT.node("pod-0", 1)).join(); // v1
                p.upsert("pod-0", MaterializerSemanticsIT.node("pod-0", 2)).join(); // v2
                p.delete("pod-0").join(); // v3
                p.upsert("pod-1", MaterializerSemanticsIT.node("pod-1", 1)).join();
                awaitInState(kafka, ns, "pod-1");
                // The cleaner removes pod-0's records, tombstone included: a rebuild from the state log cannot
                // see that pod-0 existed.
                kafka.forceCompaction(ns.state(), Duration.ofSeconds(60));
                Conditions.waitFor("pod-0's tombstone is gone from " + ns.state(), Duration.ofSeconds(90), () -> {
                    kafka.produce(ns.state(), List.of(new ProducerRecord<>(ns.state(), 0, ROLL, new byte[0])));
                    return kafka.readToEnd(ns.state()).stream().noneMatch(r -> key(r).equals("pod-0"));
                });
            }
            try (Materializer m = startAs(kafka, ns, "second-" + ns.name())) { // rebuilt from the state log
                p.upsert("pod-0", MaterializerSemanticsIT.node("pod-0", 3)).join();
                awaitInState(kafka, ns, "pod-0");
            }
        }
        List<Long> versions = versions(kafka, ns, "pod-0");
        assertEquals(1, versions.size(), "pod-0's record after the rebuild: " + versions);
        assertTrue(versions.get(0) > 3, "pod-0 was at version 3 before its delete, re-created at " + versions);
    }

    private static List<String> keptRows(Materializer m) {
        return Stream.concat(PODS.stream(), Stream.of("back"))
                .filter(k -> m.stateOf(k).body().contains("deletedAtVersion"))
                .toList();
    }

    private static void awaitInState(KafkaFixture kafka, Namespace ns, String key) {
        Conditions.waitFor(
                "a record of " + key + " in " + ns.state(),
                Duration.ofSeconds(60),
                () -> kafka.readToEnd(ns.state()).stream().anyMatch(r -> key(r).equals(key)),
                Boolean::booleanValue);
    }

    private static List<Long> versions(KafkaFixture kafka, Namespace ns, String key) {
        return kafka.readToEnd(ns.state()).stream()
                .filter(r -> key(r).equals(key) && r.value() != null)
                .map(r -> {
                    assertEquals(
                            version(r),
                            Envelopes.stateRecord().decode(r.value()).getVersion());
                    return version(r);
                })
                .toList();
    }

    private static List<RejectionReason> rejections(KafkaFixture kafka, Namespace ns) {
        return kafka.readToEnd(ns.rejections()).stream()
                .map(ConsumerRecord::value)
                .map(v -> Envelopes.rejection().decode(v))
                .map(Rejection::getReason)
                .toList();
    }

    private static void setConfig(KafkaFixture kafka, String topic, String name, String value) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(
                        Map.of(r, List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                .all());
        Conditions.waitForEquals(
                name + " of " + topic,
                Duration.ofSeconds(30),
                value,
                () -> KafkaFixture.get(kafka.admin().describeConfigs(List.of(r)).all())
                        .get(r)
                        .get(name)
                        .value());
    }
}
