package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** watch --slice NAME=VALUE, and the line every watch prints at exit. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WatchSliceCommandIT {
    private static final Pattern SUMMARY = Pattern.compile(
            "(?m)^view: (\\d+) entries, fetched (\\d+) bytes in (\\d+) records, checksums verified (\\d+),"
                    + " mismatched (\\d+), not comparable (\\d+)$");

    @Test
    void watchesOneNodesSliceAndEveryWatchEndsWithItsSummaryLine(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        ProduceAndTopicsCommandIT.Run create = ProduceAndTopicsCommandIT.run(
                "topics",
                "create",
                "--bootstrap-servers",
                b,
                "--namespace",
                ns,
                "--partitions",
                "2",
                "--slice",
                "by-node=node:8",
                "--value-type",
                "pod");
        assertEquals(0, create.exit(), create.err());
        Path input = dir.resolve("pods.ndjson");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // node-1 holds pods 1, 11, 21, 31
            lines.add("{\"op\":\"UPSERT\",\"key\":\"default/p" + i + "\",\"value\":"
                    + String.format(WatchCommandIT.POD, "p" + i, "u" + i, "node-" + (i % 10)) + "}");
        }
        Files.write(input, lines, StandardCharsets.UTF_8);
        ProduceAndTopicsCommandIT.Run produce = ProduceAndTopicsCommandIT.run(
                "produce",
                "--bootstrap-servers",
                b,
                "--namespace",
                ns,
                "--file",
                input.toString(),
                "--value-type",
                "pod");
        assertEquals(0, produce.exit(), produce.err());
        Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
        cfg.put(MaterializerConfig.NAMESPACE, ns);
        cfg.put(MaterializerConfig.HTTP_PORT, 0);
        cfg.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 500);
        cfg.put(MaterializerConfig.STATE_DIR, dir.resolve("streams").toString());
        try (Materializer m = new Materializer(new MaterializerConfig(cfg)).start()) {
            Conditions.waitFor(
                    "the slice holds every pod and its checksums are out",
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns + ".slice.by-node").size() >= 40
                            && !kafka.readToEnd(ns + ".slice.by-node.checksums").isEmpty());
            Path dump = dir.resolve("node-1.ndjson");
            ProduceAndTopicsCommandIT.Run sliced = ProduceAndTopicsCommandIT.run(
                    "watch",
                    "--bootstrap-servers",
                    b,
                    "--namespace",
                    ns,
                    "--slice",
                    "by-node=node-1",
                    "--dump",
                    dump.toString(),
                    "--exit-when-ready");
            assertEquals(0, sliced.exit(), sliced.err());
            assertTrue(sliced.err().contains("ready: 4 entries"), sliced.err());
            List<String> keys = new ArrayList<>();
            for (String line : Files.readAllLines(dump)) {
                keys.add(new ObjectMapper().readTree(line).get("key").asText());
            }
            assertEquals(List.of("default/p1", "default/p11", "default/p21", "default/p31"), keys);
            long[] slice = summary(sliced.err());
            assertEquals(4, slice[0], "entries");
            assertEquals(0, slice[4], "mismatched");

            ProduceAndTopicsCommandIT.Run whole = ProduceAndTopicsCommandIT.run(
                    "watch", "--bootstrap-servers", b, "--namespace", ns, "--exit-when-ready");
            assertEquals(0, whole.exit(), whole.err());
            long[] all = summary(whole.err());
            assertEquals(40, all[0], "a watch of the whole namespace ends with the line too");
            assertTrue(
                    slice[1] * 2 < all[1], "the slice fetched less than half the bytes: " + slice[1] + " vs " + all[1]);
        }
        ProduceAndTopicsCommandIT.Run unknown = ProduceAndTopicsCommandIT.run(
                "watch", "--bootstrap-servers", b, "--namespace", ns, "--slice", "by-zone=eu-1", "--exit-when-ready");
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("by-zone") && unknown.err().contains("by-node"), unknown.err());
        ProduceAndTopicsCommandIT.Run bad = ProduceAndTopicsCommandIT.run(
                "watch", "--bootstrap-servers", b, "--namespace", ns, "--slice", "by-node", "--exit-when-ready");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("--slice must be NAME=VALUE"), bad.err());
    }

    // entries, bytes, records, verified, mismatched, not comparable: from the one summary line
    private static long[] summary(String err) {
        Matcher m = SUMMARY.matcher(err);
        assertTrue(m.find(), "the summary line on stderr: " + err);
        long[] out = new long[6];
        for (int i = 0; i < 6; i++) {
            out[i] = Long.parseLong(m.group(i + 1));
        }
        assertTrue(!m.find(), "exactly one summary line: " + err);
        return out;
    }
}
