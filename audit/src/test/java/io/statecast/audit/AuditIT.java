package io.statecast.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
/** The audit over the real materializer's output (not a script). */
class AuditIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    static Node node(String name, int cpu) {
        return Node.newBuilder()
                .setName(name)
                .setZone("z")
                .setCpuMillis(cpu)
                .setMemoryBytes(1L << 30)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    record Scripted(Namespace ns, Instant t1, Instant t2, Instant t3, Map<Integer, Long> afterPhase1) {}

    static Scripted script(KafkaFixture kafka, boolean history) throws Exception {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(2).withHistory(history));
        }
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 500L);
        c.put(
                MaterializerConfig.STATE_DIR,
                Path.of(
                                System.getProperty("statecast.test.dir", System.getProperty("java.io.tmpdir")),
                                "audit-" + ns.name())
                        .toString());
        Map<Integer, Long> phase1 =
                new TreeMap<>(Map.of(0, -1L, 1, -1L)); // a partition without phase-1 changes: nothing
        Map<Integer, Long> last = new TreeMap<>();
        try (Materializer m = new Materializer(new MaterializerConfig(c)).start();
                StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            Conditions.waitForEquals("the materializer's state", WAIT, KafkaStreams.State.RUNNING, m::state);
            for (String k : List.of("a", "b", "c")) {
                track(p.upsert(k, node(k, 1)).join(), phase1, last);
            }
            Instant t1 = settle(kafka, ns, 3);
            track(p.upsert("a", node("a", 2)).join(), last, last);
            track(p.delete("b").join(), last, last);
            track(p.upsert("d", node("d", 1)).join(), last, last);
            Instant t2 = settle(kafka, ns, 6);
            track(p.upsert("a", node("a", 3)).join(), last, last);
            track(p.delete("c").join(), last, last);
            Instant t3 = settle(kafka, ns, 8);
            Conditions.waitFor("checksums covering every change", WAIT, () -> {
                m.requestChecksums();
                Map<Integer, Long> covered = new HashMap<>();
                for (var r : kafka.readToEnd(ns.checksums())) {
                    if (Envelopes.decodeChecksumsValue(r.value()) instanceof Checksum ch) {
                        covered.merge(ch.getPartition(), ch.getSrcOffset(), Math::max);
                    }
                }
                return last.entrySet().stream().allMatch(e -> covered.getOrDefault(e.getKey(), -1L) >= e.getValue());
            });
            return new Scripted(ns, t1, t2, t3, phase1);
        }
    }

    private static void track(Receipt r, Map<Integer, Long> into, Map<Integer, Long> last) {
        into.merge(r.partition(), r.offset(), Math::max);
        last.merge(r.partition(), r.offset(), Math::max);
    }

    private static Instant settle(KafkaFixture kafka, Namespace ns, int stateRecords) {
        Conditions.waitFor(
                "at least " + stateRecords + " records in " + ns.state(),
                WAIT,
                () -> kafka.readToEnd(ns.state()).size(),
                n -> n >= stateRecords);
        // The next phase's records must get later timestamps than this point: wait for the clock to move on.
        Instant t = Instant.now();
        Conditions.waitFor("the clock passes " + t, WAIT, () -> Instant.now().toEpochMilli() > t.toEpochMilli() + 1);
        return t;
    }

    static Map<String, Long> versions(Table t) {
        Map<String, Long> out = new TreeMap<>();
        t.entries().forEach((k, e) -> out.put(k, e.version()));
        return out;
    }

    @Test
    void replaysHistoriesToTheExactTablesAndAuditsTheMaterializer(KafkaFixture kafka) throws Exception {
        Scripted s = script(kafka, true);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), s.ns())) {
            assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L), versions(auditor.asOf(PointInTime.at(s.t1()))));
            assertEquals(Map.of("a", 2L, "c", 1L, "d", 1L), versions(auditor.asOf(PointInTime.at(s.t2()))));
            Table t3 = auditor.asOf(PointInTime.at(s.t3()));
            assertEquals(Map.of("a", 3L, "d", 1L), versions(t3));
            assertNull(t3.caveat(), "history exists: no caveat");
            assertEquals(
                    Map.of("a", 1L, "b", 1L, "c", 1L), versions(auditor.asOf(PointInTime.offsets(s.afterPhase1()))));

            assertEquals(
                    List.of(1L, 2L, 3L),
                    auditor.history("a").stream().map(Entry::version).toList());
            List<Entry> b = auditor.history("b");
            assertTrue(b.get(1).isDelete() && b.get(1).version() == 2, b.toString());
            assertThrows(KeyNotFoundException.class, () -> auditor.history("never-existed"));
            assertThrows(
                    TimeBeforeLogStartException.class,
                    () -> auditor.asOf(PointInTime.at(Instant.parse("2001-01-01T00:00:00Z"))));

            Diff d = auditor.diff(PointInTime.at(s.t1()), PointInTime.at(s.t3()));
            assertEquals(List.of("d"), d.added().stream().map(Entry::key).toList());
            assertEquals(
                    List.of("b", "c"),
                    d.removed().stream().map(Entry::key).sorted().toList());
            assertEquals(
                    List.of(new Diff.Changed(
                            "a", 1, 3, List.of(new FieldChange("cpuMillis", IntNode.valueOf(1), IntNode.valueOf(3))))),
                    d.changed());

            VerifyReport honest = auditor.verify();
            assertTrue(honest.ok(), honest.toString());
            assertTrue(
                    honest.partitions().stream()
                                    .mapToInt(VerifyReport.PartitionResult::verified)
                                    .sum()
                            >= 2,
                    honest.toString());

            try (Exporter exporter = new Exporter(kafka.clientConfig(), s.ns())) {
                StringWriter out = new StringWriter();
                assertEquals(2, exporter.export(t3, Exporter.Format.NDJSON, out));
                for (String line : out.toString().split("\n")) {
                    JsonNode row = new ObjectMapper().readTree(line);
                    assertEquals(
                            row.get("key").asText(),
                            row.get("value").get("name").asText(),
                            "payload decoded: " + line);
                }
                StringWriter csv = new StringWriter();
                exporter.export(t3, Exporter.Format.CSV, csv);
                assertTrue(
                        csv.toString().startsWith("key,version,partition,srcOffset,time,producerId,value\n\"a\",\"3\""),
                        csv.toString());
            }

            // A checksum forged with a raw producer: the audit fails and names the partition.
            Checksum forged = Checksum.newBuilder()
                    .setPartition(1)
                    .setSrcOffset(Long.MAX_VALUE - 1)
                    .setCount(42)
                    .setLanes(List.of(1L, 2L))
                    .setEmittedAt(Instant.now())
                    .build();
            kafka.produce(
                    s.ns().checksums(),
                    List.of(new ProducerRecord<>(
                            s.ns().checksums(),
                            1,
                            ByteBuffer.allocate(4).putInt(1).array(),
                            Envelopes.checksum().encode(forged))));
            VerifyReport tampered = auditor.verify();
            assertFalse(tampered.ok());
            VerifyReport.PartitionResult p1 = tampered.partitions().get(1);
            assertEquals(1, p1.mismatched());
            assertEquals(1, p1.mismatches().get(0).partition(), p1.mismatches().toString());
            assertTrue(
                    p1.mismatches().get(0).describe().startsWith("partition 1 "),
                    p1.mismatches().toString());
            assertEquals(0, tampered.partitions().get(0).mismatched());
        }
    }

    @Test
    void withoutHistoryTheReplayComesFromStateWithACaveat(KafkaFixture kafka) throws Exception {
        Scripted s = script(kafka, false);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), s.ns())) {
            Table t = auditor.asOf(PointInTime.at(s.t3()));
            assertEquals(Map.of("a", 3L, "d", 1L), versions(t));
            assertNotNull(t.caveat());
            assertEquals(Auditor.COMPACTION_CAVEAT, t.caveat());
            assertTrue(auditor.verify().ok());
        }
        assertThrows(
                NamespaceNotFoundException.class,
                () -> new Auditor(kafka.clientConfig(), Namespace.of("no-such-namespace")));
    }
}
