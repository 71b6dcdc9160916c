package io.statecast.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastHeaders;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.Change;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceValueDigest;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** audit verify checks every slice: its checksums against its log, and its contents against the state projected. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SliceAuditIT {

    static Pod pod(String name, String node) {
        return Pod.newBuilder()
                .setNamespace("default")
                .setName(name)
                .setUid(name)
                .setNode(node)
                .setPhase(PodPhase.RUNNING)
                .setLabels(Map.of("app", name.substring(0, 2)))
                .setContainers(List.of())
                .setCreatedAt(Instant.ofEpochMilli(1))
                .build();
    }

    @Test
    void verifyJudgesEverySliceAndFindsATamperedSliceAndAForgedChecksum(KafkaFixture kafka) throws Exception {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner t = new TopicProvisioner(kafka.clientConfig())) {
            t.create(ns, TopicOptions.defaults().withPartitions(2));
            t.addSlice(ns, SliceSpec.parse("by-node=node:3"), Pod.getClassSchema());
            t.addSlice(ns, SliceSpec.parse("by-app=labels.app:2"), null);
        }
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 500L);
        c.put(
                MaterializerConfig.STATE_DIR,
                Path.of(System.getProperty("statecast.test.dir"), "slice-audit-" + ns)
                        .toString());
        Map<Integer, Long> last = new HashMap<>();
        try (Materializer m = new Materializer(new MaterializerConfig(c)).start();
                StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            Conditions.waitFor("RUNNING", Duration.ofSeconds(60), () -> m.state() == KafkaStreams.State.RUNNING);
            Random random = new Random(7);
            for (int i = 0; i < 300; i++) {
                String name = "p" + random.nextInt(40);
                Change<Pod> change = random.nextInt(6) == 0
                        ? Change.delete(name)
                        : Change.upsert(name, pod(name, random.nextInt(5) == 0 ? null : "n" + random.nextInt(6)));
                Receipt r = p.send(change).join();
                last.merge(r.partition(), r.offset(), Math::max);
            }
            Conditions.waitFor("slice checksums covering every change", Duration.ofSeconds(60), () -> {
                m.requestChecksums();
                Map<String, Long> covered = new HashMap<>();
                for (String slice : List.of("by-node", "by-app")) {
                    for (var r : kafka.readToEnd(ns.sliceChecksums(slice))) {
                        if (Envelopes.decodeSliceChecksumsValue(r.value()) instanceof SliceChecksum s) {
                            covered.merge(slice + s.getSrcPartition(), s.getSrcOffset(), Math::max);
                        }
                    }
                }
                return last.entrySet().stream()
                        .allMatch(e -> covered.getOrDefault("by-node" + e.getKey(), -1L) >= e.getValue()
                                && covered.getOrDefault("by-app" + e.getKey(), -1L) >= e.getValue());
            });
        }
        try (Auditor auditor = new Auditor(kafka.clientConfig(), ns)) {
            VerifyReport honest = auditor.verify();
            assertTrue(honest.ok(), honest.toString());
            assertEquals(
                    List.of("by-app", "by-node"),
                    honest.slices().stream().map(SliceReport::slice).toList());
            honest.slices().forEach(s -> {
                assertTrue(s.verified() >= 2 * 3, s.toString());
                assertEquals(0, s.differences(), s.toString());
            });

            // A record that no change produced, and a checksum that lies about a value.
            RecordHeaders h = new RecordHeaders();
            h.add(StatecastHeaders.SRC_PARTITION, StatecastHeaders.encodeLong(0));
            h.add(StatecastHeaders.SRC_OFFSET, StatecastHeaders.encodeLong(1_000_000));
            h.add(StatecastHeaders.SLICE, "n9".getBytes(StandardCharsets.UTF_8));
            kafka.produce(
                    ns.slice("by-node"),
                    List.of(new ProducerRecord<>(
                            ns.slice("by-node"), 0, "intruder".getBytes(StandardCharsets.UTF_8), new byte[] {1}, h)));
            SliceChecksum forged = SliceChecksum.newBuilder()
                    .setSlice("by-app")
                    .setPartition(1)
                    .setSrcPartition(1)
                    .setSrcOffset(2_000_000)
                    .setDigestVersion(2) // slice checksums are of digest version 2
                    .setValues(List.of(new SliceValueDigest("zz", 3L, List.of(1L, 2L))))
                    .setEmittedAt(Instant.now())
                    .build();
            kafka.produce(
                    ns.sliceChecksums("by-app"),
                    List.of(new ProducerRecord<>(
                            ns.sliceChecksums("by-app"),
                            1,
                            ByteBuffer.allocate(4).putInt(1).array(),
                            Envelopes.sliceChecksum().encode(forged))));
            VerifyReport tampered = auditor.verify();
            assertFalse(tampered.ok());
            SliceReport byNode = tampered.slices().get(1);
            assertEquals(1, byNode.differences(), byNode.toString());
            assertTrue(
                    byNode.examples()
                            .get(0)
                            .contains("key 'intruder' is in slice partition 0 as 'n9' but not" + " live in state"),
                    byNode.examples().toString());
            SliceReport byApp = tampered.slices().get(0);
            // The forged checksum states 'zz' and omits the values really there: each is a mismatch at its point.
            assertTrue(byApp.mismatches().stream().allMatch(x -> x.srcOffset() == 2_000_000), byApp.toString());
            assertTrue(
                    byApp.mismatches().stream()
                            .anyMatch(x -> x.describe()
                                    .startsWith(
                                            "slice partition 1, source partition 1 at srcOffset 2000000, value 'zz'")),
                    byApp.toString());
        }
    }
}
