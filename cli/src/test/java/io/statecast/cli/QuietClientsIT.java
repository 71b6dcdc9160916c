package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar's commands in their own JVM print no Kafka client chatter: no log line for connection
 * attempts to a broker that is down, none for retried produce errors, none for a materializer's start
 * and stop on a healthy cluster. What a user sees is Statecast's own lines.
 */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QuietClientsIT {

    @Test
    void aWatchOfBrokersThatAreDownPrintsOneLineAndNoConnectionWarnings(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Result r = run(dir, List.of("watch", "--bootstrap-servers", "127.0.0.1:" + port, "--namespace", "k8s"));
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.startsWith("statecast: Cannot reach Kafka at 127.0.0.1:" + port + " within 15 s;"), r.err);
        assertEquals(1, r.err.lines().count(), "one line, no Kafka client warnings: " + r.err);
    }

    @Test
    void produceAndAMaterializersStartAndStopLogNoKafkaWarnings(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        Result created = run(dir, List.of("topics", "create", "--bootstrap-servers", b, "--namespace", ns));
        assertEquals(0, created.exit, created.err);
        Path input = dir.resolve("pods.ndjson");
        Files.writeString(
                input,
                "{\"op\":\"UPSERT\",\"key\":\"default/a\",\"value\":"
                        + String.format(WatchCommandIT.POD, "a", "a", "n1") + "}\n",
                StandardCharsets.UTF_8);
        Result produced = run(
                dir,
                List.of(
                        "produce",
                        "--bootstrap-servers",
                        b,
                        "--namespace",
                        ns,
                        "--file",
                        input.toString(),
                        "--value-type",
                        "pod"));
        assertEquals(0, produced.exit, produced.err);
        assertNoKafkaLogLine(produced.err);

        // The state directory outside the OS temp directory: Kafka Streams rightly warns about that one.
        Path state = Path.of("target", "quiet-clients-" + ns).toAbsolutePath();
        Process m = start(
                dir,
                List.of(
                        "materialize",
                        "--bootstrap-servers",
                        b,
                        "--namespace",
                        ns,
                        "--http-port",
                        "0",
                        "-D",
                        "state.dir=" + state));
        Conditions.waitFor(
                "the materializer running",
                Duration.ofSeconds(90),
                () -> Files.readString(dir.resolve("out.txt")).contains("running"));
        Conditions.waitFor(
                "its state record",
                Duration.ofSeconds(60),
                () -> kafka.readToEnd(ns + ".state").size() == 1);
        m.toHandle().destroy(); // SIGTERM
        assertTrue(m.waitFor(60, TimeUnit.SECONDS), "the materializer stopped");
        assertNoKafkaLogLine(Files.readString(dir.resolve("err.txt")));
    }

    // Known and left: Kafka Streams 4.3.1 builds a second StreamsConfig of its own, without the
    // application's processing.exception.handler.global.enabled, and warns once per start.
    private static final String KNOWN = "Processing exception handler is not enabled for the GlobalThread";

    private static void assertNoKafkaLogLine(String err) {
        List<String> kafka = err.lines()
                .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR).*"))
                .filter(l -> !l.contains(KNOWN))
                .toList();
        assertEquals(List.of(), kafka, "warnings on stderr:\n" + err);
    }

    private record Result(int exit, String err) {}

    private static Result run(Path dir, List<String> args) throws Exception {
        Process p = start(dir, args);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "ended: " + args);
        return new Result(p.exitValue(), Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static Process start(Path dir, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(CaptureCli.shippedJar());
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
    }
}
