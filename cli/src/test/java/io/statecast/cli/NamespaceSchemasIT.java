package io.statecast.cli;

import static io.statecast.cli.ProduceAndTopicsCommandIT.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.cli.ProduceAndTopicsCommandIT.Run;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace of the user's own record in two schema versions, used with no schema flag: produce takes the
 * latest registered schema, watch and the audit commands read each value with its writer schema.
 */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NamespaceSchemasIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1 = "{\"type\":\"record\",\"name\":\"Router\",\"namespace\":\"com.example\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"zone\",\"type\":\"string\"}]}";
    static final String V2 = "{\"type\":\"record\",\"name\":\"Router\",\"namespace\":\"com.example\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"zone\",\"type\":\"string\"},"
            + "{\"name\":\"rack\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    @Test
    void readsAndWritesANamespaceWhoseValuesUseTwoSchemaVersions(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        assertEquals(
                0,
                run("topics", "create", "--bootstrap-servers", b, "--namespace", ns, "--partitions", "2")
                        .exit());
        Path v1 = write(dir, "router-v1.avsc", V1);
        Path v2 = write(dir, "router-v2.avsc", V2);
        produce(b, ns, dir, "--value-schema", v1.toString(), upsert("r1", "{\"name\":\"r1\",\"zone\":\"a\"}"));
        produce(b, ns, dir, "--value-schema", v1.toString(), upsert("r3", "{\"name\":\"r3\",\"zone\":\"a\"}"));
        produce(
                b,
                ns,
                dir,
                "--value-schema",
                v2.toString(),
                upsert("r2", "{\"name\":\"r2\",\"zone\":\"b\",\"rack\":\"k1\"}"));
        // No flag: the latest registered schema (v2) writes, so the field v1 lacks is accepted.
        Run latest = produceRun(b, ns, dir, upsert("r1", "{\"name\":\"r1\",\"zone\":\"a\",\"rack\":\"k2\"}"));
        assertEquals(0, latest.exit(), latest.err());

        try (Materializer m = materializer(kafka, ns, dir)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> kafka.readToEnd(ns + ".state").size() >= 4);
        }

        Map<String, JsonNode> dump = watchDump(b, ns, dir);
        assertEquals(
                "{\"name\":\"r3\",\"zone\":\"a\"}", dump.get("r3").get("value").toString(), "v1 value as written");
        assertEquals("k1", dump.get("r2").get("value").get("rack").asText());
        assertEquals("k2", dump.get("r1").get("value").get("rack").asText());
        Run byRack =
                run("watch", "--bootstrap-servers", b, "--namespace", ns, "--index", "rack=k1", "--exit-when-ready");
        assertEquals(0, byRack.exit(), byRack.err());
        assertTrue(byRack.err().contains("ready: 1 entries"), byRack.err());

        Run history = run("audit", "history", "--bootstrap-servers", b, "--namespace", ns, "r1", "--json");
        assertEquals(0, history.exit(), history.err());
        JsonNode versions = JSON.readTree(history.out());
        assertFalse(versions.get(0).get("value").has("rack"), "version 1 read with its writer schema v1");
        assertEquals(
                "[{\"field\":\"rack\",\"to\":\"k2\"}]",
                versions.get(1).get("changes").toString());
        Run text = run("audit", "history", "--bootstrap-servers", b, "--namespace", ns, "r1");
        assertTrue(text.out().contains("    rack: (absent) → k2"), text.out());
    }

    @Test
    void produceWithNoSchemaFlagRefusesANamespaceWithoutASchema(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        assertEquals(
                0,
                run("topics", "create", "--bootstrap-servers", b, "--namespace", ns, "--partitions", "1")
                        .exit());
        Run r = produceRun(b, ns, dir, upsert("r1", "{\"name\":\"r1\"}"));
        assertEquals(2, r.exit(), r.err());
        assertEquals(
                "statecast: " + ns + ".schemas holds no value schema yet (a writer registers its schema before its"
                        + " first write): give the schema with --value-schema FILE.avsc (or --value-type pod|node for"
                        + " the demo's records)",
                r.err().strip());
        assertEquals(0, kafka.readToEnd(ns + ".changes").size());
    }

    static String upsert(String key, String value) {
        return "{\"op\":\"UPSERT\",\"key\":\"" + key + "\",\"value\":" + value + "}";
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static void produce(String b, String ns, Path dir, String flag, String value, String line)
            throws Exception {
        Path f = write(dir, "in.ndjson", line + "\n");
        var r = run("produce", "--bootstrap-servers", b, "--namespace", ns, "--file", f.toString(), flag, value);
        assertEquals(0, r.exit(), r.err());
    }

    private static Run produceRun(String b, String ns, Path dir, String line) throws Exception {
        Path f = write(dir, "in.ndjson", line + "\n");
        return run("produce", "--bootstrap-servers", b, "--namespace", ns, "--file", f.toString());
    }

    private static Map<String, JsonNode> watchDump(String b, String ns, Path dir) throws Exception {
        Path dump = dir.resolve("dump.ndjson");
        var w = run(
                "watch", "--bootstrap-servers", b, "--namespace", ns, "--dump", dump.toString(), "--exit-when-ready");
        assertEquals(0, w.exit(), w.err());
        Map<String, JsonNode> out = new TreeMap<>();
        for (String line : Files.readAllLines(dump)) {
            JsonNode j = JSON.readTree(line);
            out.put(j.get("key").asText(), j);
        }
        assertEquals(List.of("r1", "r2", "r3"), List.copyOf(out.keySet()));
        return out;
    }

    static Materializer materializer(KafkaFixture kafka, String ns, Path dir) {
        Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
        cfg.put(MaterializerConfig.NAMESPACE, ns);
        cfg.put(MaterializerConfig.HTTP_PORT, 0);
        cfg.put(MaterializerConfig.STATE_DIR, dir.resolve("streams").toString());
        return new Materializer(new MaterializerConfig(cfg)).start();
    }
}
