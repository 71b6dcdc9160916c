package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** topics create → produce → materialize (in-process) → watch --dump --exit-when-ready. */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WatchCommandIT {
    static final String POD =
            "{\"namespace\":\"default\",\"name\":\"%s\",\"uid\":\"u-%s\",\"node\":\"%s\",\"phase\":\"RUNNING\",\"createdAt\":1700000000000}";

    @Test
    void dumpsTheViewOfOneNodeWithVersionsAndOffsets(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        assertEquals(
                0,
                ProduceAndTopicsCommandIT.run(
                                "topics", "create", "--bootstrap-servers", b, "--namespace", ns, "--partitions", "2")
                        .exit());
        Path input = dir.resolve("pods.ndjson");
        Files.write(
                input,
                List.of(
                        "{\"op\":\"UPSERT\",\"key\":\"default/a\",\"value\":" + String.format(POD, "a", "a", "node-1")
                                + "}",
                        "{\"op\":\"UPSERT\",\"key\":\"default/b\",\"value\":" + String.format(POD, "b", "b", "node-2")
                                + "}",
                        "{\"op\":\"UPSERT\",\"key\":\"default/a\",\"value\":" + String.format(POD, "a", "a2", "node-1")
                                + "}"),
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
        Map<String, Object> cfg = new java.util.HashMap<>(kafka.clientConfig());
        cfg.put("namespace", ns);
        cfg.put("http.port", 0);
        cfg.put("state.dir", dir.resolve("streams").toString());
        try (io.statecast.materializer.Materializer m = new io.statecast.materializer.Materializer(
                        new io.statecast.materializer.MaterializerConfig(cfg))
                .start()) {
            Conditions.waitFor(
                    "3 records materialized in " + ns + ".state",
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns + ".state").size(),
                    n -> n >= 3);
        }
        Path dump = dir.resolve("dump.ndjson");
        ProduceAndTopicsCommandIT.Run watch = ProduceAndTopicsCommandIT.run(
                "watch",
                "--bootstrap-servers",
                b,
                "--namespace",
                ns,
                "--index",
                "node=node-1",
                "--dump",
                dump.toString(),
                "--exit-when-ready");
        assertEquals(0, watch.exit(), watch.err());
        assertTrue(watch.err().contains("ready: 1 entries"), watch.err());
        List<String> lines = Files.readAllLines(dump);
        assertEquals(1, lines.size(), lines.toString());
        JsonNode a = new ObjectMapper().readTree(lines.get(0));
        assertEquals("UPSERT", a.get("op").asText());
        assertEquals("default/a", a.get("key").asText());
        assertEquals(2, a.get("version").asLong());
        assertTrue(a.get("srcOffset").asLong() >= 1);
        assertEquals("u-a2", a.get("value").get("uid").asText());
        assertEquals("node-1", a.get("value").get("node").asText());

        // The same view from a properties file and -D: both go through the view's configuration keys.
        Path file = dir.resolve("view.properties");
        Files.writeString(file, "namespace=" + ns + "\npartitions=0,1\n");
        Path snapshots = dir.resolve("snapshots");
        ProduceAndTopicsCommandIT.Run fromFile = ProduceAndTopicsCommandIT.run(
                "watch",
                "--bootstrap-servers",
                b,
                "--config",
                file.toString(),
                "-D",
                "snapshot.dir=" + snapshots,
                "--exit-when-ready");
        assertEquals(0, fromFile.exit(), fromFile.err());
        assertTrue(fromFile.err().contains("ready: 2 entries"), fromFile.err());
        assertTrue(
                Files.exists(snapshots.resolve(ns + ".state.snapshot")),
                "snapshot.dir from -D reached the view, which saved its snapshot on close");
    }
}
