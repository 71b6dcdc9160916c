package io.statecast.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replays of scripted histories (written by {@link FakeMaterializer}) to the exact expected tables. */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScriptedAuditIT {

    /** Keys a, c land on partition 1; b, d on partition 0. Tables after steps 3, 7 and 10 are known. */
    static FakeMaterializer script(KafkaFixture kafka, boolean history) {
        FakeMaterializer m = new FakeMaterializer(kafka, 2, history);
        m.upsert("a", 1).upsert("b", 1).upsert("c", 1).checksums(); // steps 1-3
        m.upsert("a", 2).delete("b").reject("b").upsert("d", 1).checksums(); // steps 4-7
        m.upsert("a", 3).delete("c").upsert("b", 5).checksums(); // steps 8-10
        return m.flush();
    }

    static final Map<String, Long> AT_T1 = Map.of("a", 1L, "b", 1L, "c", 1L);
    static final Map<String, Long> AT_T2 = Map.of("a", 2L, "c", 1L, "d", 1L);
    static final Map<String, Long> AT_T3 = Map.of("a", 3L, "b", 3L, "d", 1L);

    static FieldChange cpu(int from, int to) {
        return new FieldChange("cpuMillis", IntNode.valueOf(from), IntNode.valueOf(to));
    }

    static Map<String, Long> versions(Table t) {
        Map<String, Long> out = new TreeMap<>();
        t.entries().forEach((k, e) -> out.put(k, e.version()));
        return out;
    }

    @Test
    void replaysAKnownHistoryToTheExactTableAtEveryTimeAndOffset(KafkaFixture kafka) {
        FakeMaterializer m = script(kafka, true);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            assertEquals(AT_T1, versions(auditor.asOf(PointInTime.at(m.time(3)))));
            assertEquals(AT_T1, versions(auditor.asOf(PointInTime.at(m.time(4).minusMillis(1)))));
            assertEquals(AT_T2, versions(auditor.asOf(PointInTime.at(m.time(7)))));
            Table t3 = auditor.asOf(PointInTime.at(m.time(10)));
            assertEquals(AT_T3, versions(t3));
            assertEquals(Map.of("a", 1L), versions(auditor.asOf(PointInTime.at(m.time(1)))));
            assertEquals(AT_T1, versions(auditor.asOf(PointInTime.parseOffsets("0:0,1:1"))));
            assertEquals(AT_T2, versions(auditor.asOf(PointInTime.parseOffsets("0:3,1:2"))));
            assertEquals(Map.of("a", 1L, "b", 3L, "d", 1L), versions(auditor.asOf(PointInTime.parseOffsets("1:0"))));
            assertEquals(AT_T3, versions(auditor.asOf(PointInTime.latest())));
            assertNull(t3.caveat(), "a complete history: exact, no caveat");
            assertEquals(m.ns.history(), t3.source());
            Entry a = t3.entries().get("a");
            assertEquals(
                    List.of(1, 3L, "producer-1", m.time(8)),
                    List.of(a.partition(), a.srcOffset(), a.producerId(), a.time()));
        }
    }

    @Test
    void historyListsEveryVersionOfAKeyWithItsOriginAndDiffComparesTwoPoints(KafkaFixture kafka) {
        FakeMaterializer m = script(kafka, true);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            List<Entry> b = auditor.history("b");
            assertEquals(
                    List.of("1 UPSERT 0@0 " + m.time(2), "2 DELETE 0@1 " + m.time(5), "3 UPSERT 0@4 " + m.time(10)),
                    b.stream()
                            .map(e -> e.version() + " " + e.op() + " " + e.partition() + "@" + e.srcOffset() + " "
                                    + e.time())
                            .toList());
            List<Version> bv = auditor.versions("b");
            assertEquals(
                    List.of("1 prev 0 [] name=b", "2 prev 1 [] null", "3 prev 2 [] name=b"),
                    bv.stream()
                            .map(v -> v.entry().version() + " prev " + v.previousVersion() + " " + v.changes() + " "
                                    + (v.value() == null
                                            ? "null"
                                            : "name=" + v.value().get("name").asText()))
                            .toList());
            assertEquals(
                    List.of(List.of(), List.of(cpu(1, 2)), List.of(cpu(2, 3))),
                    auditor.versions("a").stream().map(Version::changes).toList());
            assertEquals("cpuMillis: 1 → 2", cpu(1, 2).describe());
            KeyNotFoundException missing = assertThrows(KeyNotFoundException.class, () -> auditor.history("zzz"));
            assertEquals("zzz", missing.key());

            Diff d = auditor.diff(PointInTime.at(m.time(3)), PointInTime.at(m.time(10)));
            assertEquals(
                    List.of("d v1"),
                    d.added().stream().map(e -> e.key() + " v" + e.version()).toList());
            assertEquals(
                    List.of("c v1"),
                    d.removed().stream().map(e -> e.key() + " v" + e.version()).toList());
            assertEquals(
                    List.of(
                            new Diff.Changed("a", 1, 3, List.of(cpu(1, 3))),
                            new Diff.Changed("b", 1, 3, List.of(cpu(1, 5)))),
                    d.changed());
            Diff none = auditor.diff(PointInTime.at(m.time(10)), PointInTime.latest());
            assertEquals(
                    0,
                    none.added().size() + none.removed().size() + none.changed().size(),
                    none.toString());
        }
    }

    @Test
    void withoutHistoryTheReplayComesFromStateWithTheCaveat(KafkaFixture kafka) {
        FakeMaterializer m = script(kafka, false);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            Table t = auditor.asOf(PointInTime.latest());
            assertEquals(AT_T3, versions(t));
            assertEquals(Auditor.COMPACTION_CAVEAT, t.caveat());
            assertEquals(m.ns.state(), t.source());
            assertEquals(
                    Auditor.COMPACTION_CAVEAT,
                    auditor.diff(PointInTime.at(m.time(3)), PointInTime.latest())
                            .caveat());
        }
    }

    @Test
    void unanswerableQuestionsAreClearTypedErrors(KafkaFixture kafka) {
        FakeMaterializer m = script(kafka, true);
        NamespaceNotFoundException nsMissing = assertThrows(
                NamespaceNotFoundException.class,
                () -> new Auditor(kafka.clientConfig(), io.statecast.common.Namespace.of("no-such-ns")));
        assertTrue(
                nsMissing.getMessage().contains(m.ns.name()),
                "lists the namespaces that exist: " + nsMissing.getMessage());
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            TimeBeforeLogStartException early =
                    assertThrows(TimeBeforeLogStartException.class, () -> auditor.asOf(PointInTime.at(m.time(0))));
            assertEquals(m.time(1), early.logStart());
            assertThrows(InvalidPointException.class, () -> auditor.asOf(PointInTime.parseOffsets("2:0")));
        }
    }

    @Test
    void exportsDecodeEveryPayloadThroughTheSchemasTopic(KafkaFixture kafka) throws Exception {
        FakeMaterializer m = script(kafka, true);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns);
                Exporter exporter = new Exporter(kafka.clientConfig(), m.ns)) {
            Table t = auditor.asOf(PointInTime.latest());
            StringWriter ndjson = new StringWriter();
            assertEquals(3, exporter.export(t, Exporter.Format.NDJSON, ndjson));
            Map<String, Integer> cpu = new TreeMap<>();
            for (String line : ndjson.toString().split("\n")) {
                JsonNode row = new ObjectMapper().readTree(line);
                assertEquals(
                        row.get("key").asText(), row.get("value").get("name").asText(), line);
                cpu.put(
                        row.get("key").asText(),
                        row.get("value").get("cpuMillis").asInt());
            }
            assertEquals(Map.of("a", 3, "b", 5, "d", 1), cpu);
            StringWriter csv = new StringWriter();
            exporter.export(t, Exporter.Format.CSV, csv);
            List<String> lines = csv.toString().lines().toList();
            assertEquals("key,version,partition,srcOffset,time,producerId,value", lines.get(0));
            assertEquals(4, lines.size(), csv.toString());
            assertTrue(lines.get(1).startsWith("\"a\",\"3\",\"1\",\"3\""), lines.get(1));
            assertTrue(
                    lines.get(1).contains("\"\"name\"\":\"\"a\"\""), "JSON payload, quotes doubled: " + lines.get(1));
        }
    }

    @Test
    void rejectionsAreListedWithReasonsSinceATime(KafkaFixture kafka) {
        FakeMaterializer m = script(kafka, true);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            Rejections all = auditor.rejections(null);
            assertEquals(
                    List.of("VERSION_CONFLICT 0@2"),
                    all.rejections().stream()
                            .map(r -> r.getReason() + " " + r.getPartition() + "@" + r.getOffset())
                            .toList());
            assertEquals(0, all.undecodable());
            assertEquals(1, auditor.rejections(m.time(6)).rejections().size());
            assertEquals(0, auditor.rejections(m.time(7)).rejections().size());
        }
    }

    @Test
    void auditsCreateNoConsumerGroupAndWriteNothing(KafkaFixture kafka) throws Exception {
        FakeMaterializer m = script(kafka, true);
        Set<String> groupsBefore = groups(kafka);
        Map<String, Long> endsBefore = ends(kafka, m);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            auditor.asOf(PointInTime.latest());
            auditor.history("a");
            auditor.verify();
            auditor.rejections(null);
        }
        assertEquals(groupsBefore, groups(kafka));
        assertEquals(endsBefore, ends(kafka, m));
    }

    private static Set<String> groups(KafkaFixture kafka) throws Exception {
        return kafka.admin().listGroups().all().get().stream()
                .map(g -> g.groupId())
                .collect(Collectors.toSet());
    }

    private static Map<String, Long> ends(KafkaFixture kafka, FakeMaterializer m) {
        Map<String, Long> out = new TreeMap<>();
        for (String topic : m.ns.topics()) {
            if (KafkaFixture.get(kafka.admin().listTopics().names()).contains(topic)) {
                out.put(topic, (long) kafka.readToEnd(topic).size());
            }
        }
        return out;
    }
}
