package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditCommandIT {

    @Test
    void auditCommandsReportCaveatsHistoriesAndAForgedChecksum(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        assertEquals(
                0,
                ProduceAndTopicsCommandIT.run(
                                "topics",
                                "create",
                                "--bootstrap-servers",
                                b,
                                "--namespace",
                                ns,
                                "--partitions",
                                "1",
                                "--no-history")
                        .exit());
        Path input = dir.resolve("pods.ndjson");
        Files.write(
                input,
                List.of(
                        "{\"op\":\"UPSERT\",\"key\":\"default/a\",\"value\":"
                                + String.format(WatchCommandIT.POD, "a", "1", "node-1") + "}",
                        "{\"op\":\"UPSERT\",\"key\":\"default/a\",\"value\":"
                                + String.format(WatchCommandIT.POD, "a", "2", "node-1") + "}",
                        "{\"op\":\"DELETE\",\"key\":\"default/a\",\"expectedVersion\":5}"),
                StandardCharsets.UTF_8);
        assertEquals(
                0,
                ProduceAndTopicsCommandIT.run(
                                "produce",
                                "--bootstrap-servers",
                                b,
                                "--namespace",
                                ns,
                                "--file",
                                input.toString(),
                                "--value-type",
                                "pod")
                        .exit());
        Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
        cfg.put("namespace", ns);
        cfg.put("http.port", 0);
        cfg.put("checksum.interval.ms", 300L);
        cfg.put("state.dir", dir.resolve("streams").toString());
        try (Materializer m = new Materializer(new MaterializerConfig(cfg)).start()) {
            Conditions.waitFor(
                    "a checksum covering every change (srcOffset >= 2)",
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns + ".checksums").stream()
                            .anyMatch(r -> Envelopes.decodeChecksumsValue(r.value()) instanceof Checksum c
                                    && c.getSrcOffset() >= 2));
        }
        ProduceAndTopicsCommandIT.Run verify =
                ProduceAndTopicsCommandIT.run("audit", "verify", "--bootstrap-servers", b, "--namespace", ns);
        assertEquals(0, verify.exit(), verify.out() + verify.err());
        assertTrue(verify.out().contains("OK"), verify.out());

        ProduceAndTopicsCommandIT.Run asOf = ProduceAndTopicsCommandIT.run(
                "audit", "as-of", "--bootstrap-servers", b, "--namespace", ns, "--offsets", "0:0");
        assertEquals(0, asOf.exit(), asOf.err());
        assertTrue(asOf.err().contains("caveat: rebuilt from the compacted state topic"), asOf.err());
        assertTrue(asOf.out().contains("default/a") && asOf.out().contains("1 entries"), asOf.out());

        ProduceAndTopicsCommandIT.Run history = ProduceAndTopicsCommandIT.run(
                "audit", "history", "--bootstrap-servers", b, "--namespace", ns, "default/a");
        assertEquals(0, history.exit(), history.err());
        assertTrue(history.out().contains("       2 UPSERT"), history.out());
        assertEquals(
                1,
                ProduceAndTopicsCommandIT.run("audit", "history", "--bootstrap-servers", b, "--namespace", ns, "nope")
                        .exit());

        ProduceAndTopicsCommandIT.Run rejections = ProduceAndTopicsCommandIT.run(
                "audit", "rejections", "--bootstrap-servers", b, "--namespace", ns, "--json");
        assertTrue(rejections.out().contains("\"reason\":\"VERSION_CONFLICT\""), rejections.out());

        Checksum forged = Checksum.newBuilder()
                .setPartition(0)
                .setSrcOffset(1)
                .setCount(7)
                .setLanes(List.of(3L, 4L))
                .setEmittedAt(Instant.now())
                .build();
        kafka.produce(
                ns + ".checksums",
                List.of(new ProducerRecord<>(
                        ns + ".checksums",
                        0,
                        ByteBuffer.allocate(4).putInt(0).array(),
                        Envelopes.checksum().encode(forged))));
        ProduceAndTopicsCommandIT.Run tampered =
                ProduceAndTopicsCommandIT.run("audit", "verify", "--bootstrap-servers", b, "--namespace", ns);
        assertEquals(1, tampered.exit(), tampered.out());
        assertTrue(tampered.out().contains("MISMATCH partition 0 at srcOffset 1"), tampered.out());

        Path export = dir.resolve("export.csv");
        assertEquals(
                0,
                ProduceAndTopicsCommandIT.run(
                                "audit",
                                "export",
                                "--bootstrap-servers",
                                b,
                                "--namespace",
                                ns,
                                "--format",
                                "csv",
                                "--out",
                                export.toString())
                        .exit());
        assertEquals(2, Files.readAllLines(export).size(), "header and one entry");
        Path ndjson = dir.resolve("export.ndjson");
        assertEquals(
                0,
                ProduceAndTopicsCommandIT.run(
                                "audit",
                                "export",
                                "--bootstrap-servers",
                                b,
                                "--namespace",
                                ns,
                                "--as-of",
                                "0:1",
                                "--format",
                                "ndjson",
                                "--out",
                                ndjson.toString())
                        .exit());
        String row = Files.readAllLines(ndjson).get(0);
        assertTrue(
                row.contains("\"key\":\"default/a\"")
                        && row.contains("\"version\":2")
                        && row.contains("\"name\":\"a\""),
                "payload decoded to JSON: " + row);

        ProduceAndTopicsCommandIT.Run json =
                ProduceAndTopicsCommandIT.run("audit", "verify", "--bootstrap-servers", b, "--namespace", ns, "--json");
        assertEquals(1, json.exit(), json.out());
        assertTrue(json.out().startsWith("{\"ok\":false") && json.out().contains("\"srcOffset\":1"), json.out());

        ProduceAndTopicsCommandIT.Run badOffsets = ProduceAndTopicsCommandIT.run(
                "audit", "as-of", "--bootstrap-servers", b, "--namespace", ns, "--offsets", "0=1");
        assertEquals(2, badOffsets.exit(), "a usage error: " + badOffsets.err());
        assertTrue(badOffsets.err().contains("0:120,1:98"), badOffsets.err());
        assertEquals(
                2,
                ProduceAndTopicsCommandIT.run(
                                "audit", "as-of", "--bootstrap-servers", b, "--namespace", ns, "--offsets", "5:1")
                        .exit(),
                "a partition the namespace lacks");
        assertEquals(
                2,
                ProduceAndTopicsCommandIT.run(
                                "audit",
                                "export",
                                "--bootstrap-servers",
                                b,
                                "--namespace",
                                ns,
                                "--format",
                                "xml",
                                "--out",
                                export.toString())
                        .exit());
        ProduceAndTopicsCommandIT.Run missing =
                ProduceAndTopicsCommandIT.run("audit", "verify", "--bootstrap-servers", b, "--namespace", "nope-ns");
        assertEquals(2, missing.exit(), "a namespace that does not exist is in the flags: usage or configuration");
        assertTrue(missing.err().contains("Namespace 'nope-ns' not found"), missing.err());
        ProduceAndTopicsCommandIT.Run early = ProduceAndTopicsCommandIT.run(
                "audit", "as-of", "--bootstrap-servers", b, "--namespace", ns, "--time", "2001-01-01T00:00:00Z");
        assertEquals(1, early.exit());
        assertTrue(early.err().contains("is before the start of " + ns + ".state"), early.err());
    }
}
