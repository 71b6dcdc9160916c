package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code watch} prints, against a running materializer: the entries loaded first, then the deltas
 * (or only the deltas), a line of checks on stderr while it runs, and the {@code view:} line at exit,
 * whether it exits when ready or is stopped by SIGTERM (the shipped jar in its own JVM).
 */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WatchChecksIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUNNING = Pattern.compile("watch: (\\d+) entries, lag (\\d+) records, checksums"
            + " verified (\\d+), mismatched (\\d+), not comparable (\\d+), heals (\\d+)");
    private static final Pattern AT_EXIT = Pattern.compile("view: (\\d+) entries, fetched (\\d+) bytes in (\\d+)"
            + " records, checksums verified (\\d+), mismatched (\\d+), not comparable (\\d+)");

    @Test
    void listsTheEntriesThenTheDeltasReportsItsChecksAndSumsUpWhenStopped(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        String ns = namespaceWithPods(kafka, dir, "a", "b");
        try (Materializer m = materializer(kafka, ns, dir)) {
            awaitStateRecords(kafka, ns, 3);
            Process watch = new ProcessBuilder(
                            javaBin(),
                            "-jar",
                            jar().toString(),
                            "watch",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--namespace",
                            ns,
                            "--status-interval",
                            "1")
                    .start();
            Lines outLines = Lines.of(watch.getInputStream());
            Lines errLines = Lines.of(watch.getErrorStream());
            List<String> out = outLines.lines;
            List<String> err = errLines.lines;
            Conditions.waitFor("two listed entries on stdout; stderr: " + err, WAIT, () -> out.size() >= 2);
            produce(kafka, ns, dir, "c", "c");
            Conditions.waitFor("the delta of default/c on stdout; stderr: " + err, WAIT, () -> out.size() >= 3);
            Matcher checked = Conditions.waitFor(
                    "a line of checks with 3 entries, lag 0 and a verified checksum",
                    WAIT,
                    () -> lastMatch(RUNNING, err),
                    r -> r != null
                            && r.group(1).equals("3")
                            && r.group(2).equals("0")
                            && !r.group(3).equals("0"));
            assertEquals("0", checked.group(4), "mismatched, in " + checked.group());

            // SIGTERM; Process.destroy() would also close our ends of its pipes before the last lines arrive
            watch.toHandle().destroy();
            assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch stopped on SIGTERM");
            assertEquals(0, watch.exitValue(), "a stopped watch exits 0; stderr: " + err);
            outLines.awaitEnd();
            errLines.awaitEnd();
            assertAtExit(String.join("\n", err), 3);
            assertEquals(List.of("default/a", "default/b", "default/c"), keys(out));
            assertEquals(2, JSON.readTree(out.get(0)).get("version").asLong(), "a's listing is its last version");
            assertEquals(
                    "u-c", JSON.readTree(out.get(2)).get("value").get("uid").asText());
            assertFalse(String.join("\n", out).contains("watch:"), "checks go to stderr only");
        }
    }

    @Test
    void withDeltasOnlyPrintsNoEntriesAndStillSumsUpAtExit(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        String ns = namespaceWithPods(kafka, dir, "a", "b");
        try (Materializer m = materializer(kafka, ns, dir)) {
            awaitStateRecords(kafka, ns, 3);
        }
        ProduceAndTopicsCommandIT.Run listed = watchUntilReady(kafka, ns);
        assertEquals(0, listed.exit(), listed.err());
        assertEquals(
                List.of("default/a", "default/b"), keys(listed.out().lines().toList()));
        assertAtExit(listed.err(), 2);

        ProduceAndTopicsCommandIT.Run deltasOnly = watchUntilReady(kafka, ns, "--deltas-only");
        assertEquals(0, deltasOnly.exit(), deltasOnly.err());
        assertEquals("", deltasOnly.out(), "no entries listed with --deltas-only");
        assertAtExit(deltasOnly.err(), 2);
    }

    private static void assertAtExit(String err, int entries) {
        List<String> lines = err.lines().filter(l -> l.startsWith("view: ")).toList();
        assertEquals(1, lines.size(), "one view: line at exit; stderr: " + err);
        Matcher m = AT_EXIT.matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        assertEquals(entries, Integer.parseInt(m.group(1)), lines.get(0));
        assertTrue(Long.parseLong(m.group(2)) > 0, "bytes fetched: " + lines.get(0));
        assertTrue(Long.parseLong(m.group(3)) >= 3, "records fetched (a's two versions and b): " + lines.get(0));
        assertEquals("0", m.group(5), "mismatched: " + lines.get(0));
    }

    private static ProduceAndTopicsCommandIT.Run watchUntilReady(KafkaFixture kafka, String ns, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "watch", "--bootstrap-servers", kafka.bootstrapServers(), "--namespace", ns, "--exit-when-ready"));
        args.addAll(List.of(more));
        return ProduceAndTopicsCommandIT.run(args.toArray(String[]::new));
    }

    private static String namespaceWithPods(KafkaFixture kafka, Path dir, String... names) throws IOException {
        String ns = kafka.newNamespace();
        ProduceAndTopicsCommandIT.Run created = ProduceAndTopicsCommandIT.run(
                "topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--namespace", ns);
        assertEquals(0, created.exit(), created.err());
        for (String name : names) {
            produce(kafka, ns, dir, name, name);
        }
        produce(kafka, ns, dir, names[0], names[0] + "2"); // a second version of the first
        return ns;
    }

    private static void produce(KafkaFixture kafka, String ns, Path dir, String name, String uid) throws IOException {
        Path input = Files.createTempFile(dir, name, ".ndjson");
        Files.writeString(
                input,
                "{\"op\":\"UPSERT\",\"key\":\"default/" + name + "\",\"value\":"
                        + String.format(WatchCommandIT.POD, name, uid, "node-1") + "}\n",
                StandardCharsets.UTF_8);
        ProduceAndTopicsCommandIT.Run p = ProduceAndTopicsCommandIT.run(
                "produce",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--namespace",
                ns,
                "--file",
                input.toString(),
                "--value-type",
                "pod");
        assertEquals(0, p.exit(), p.err());
    }

    private static Materializer materializer(KafkaFixture kafka, String ns, Path dir) {
        Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
        cfg.put(MaterializerConfig.NAMESPACE, ns);
        cfg.put("http.port", 0);
        cfg.put("state.dir", dir.resolve("streams-" + System.nanoTime()).toString());
        cfg.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 500);
        return new Materializer(new MaterializerConfig(cfg)).start();
    }

    private static void awaitStateRecords(KafkaFixture kafka, String ns, int n) {
        Conditions.waitFor(
                n + " records in " + ns + ".state",
                WAIT,
                () -> kafka.readToEnd(ns + ".state").size(),
                s -> s >= n);
    }

    private static List<String> keys(List<String> lines) throws IOException {
        List<String> keys = new java.util.ArrayList<>();
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            keys.add(n.get("key").asText());
        }
        return keys;
    }

    private static Matcher lastMatch(Pattern p, List<String> lines) {
        Matcher found = null;
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                found = m;
            }
        }
        return found;
    }

    /** A stream read line by line on a daemon thread, so that the test can wait on what arrived so far. */
    private record Lines(List<String> lines, Thread reader) {
        static Lines of(InputStream in) {
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    r.lines().forEach(lines::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    lines.add("(read failed: " + e + ")");
                }
            });
            t.setDaemon(true);
            t.start();
            return new Lines(lines, t);
        }

        // The process has exited: its streams end, and so does the reader.
        void awaitEnd() throws InterruptedException {
            reader.join(Duration.ofSeconds(30).toMillis());
            assertFalse(reader.isAlive(), "the stream ended");
        }
    }

    private static Path jar() {
        Path jar = Path.of("target", "statecast.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in the package phase, before integration-test");
        return jar;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
