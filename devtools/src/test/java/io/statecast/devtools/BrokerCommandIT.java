package io.statecast.devtools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumingThat;

import io.statecast.testkit.ExternalKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code statecast broker} in its own process: produce/consume from this JVM, SIGTERM, restart on the same data. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerCommandIT {

    @Test
    void brokerServesAnotherProcessStopsCleanlyOnSigtermAndKeepsItsData(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path data = dir.resolve("broker");
        Process broker = startBroker(port, data);
        String topic = "from-another-process";
        try (KafkaFixture kafka = KafkaFixture.of(new ExternalKafkaCluster("127.0.0.1:" + port, Map.of()))) {
            kafka.createTopic(topic, 1, Map.of());
            kafka.produce(topic, List.of(new ProducerRecord<>(topic, bytes("k"), bytes("v"))));
            assertArrayEquals(bytes("v"), kafka.readToEnd(topic).get(0).value());
            listedByKcat(port);
        }
        assertEquals(0, stop(broker), "exit code after SIGTERM");

        Process again = startBroker(port, data);
        try (KafkaFixture kafka = KafkaFixture.of(new ExternalKafkaCluster("127.0.0.1:" + port, Map.of()))) {
            assertEquals(1, kafka.readToEnd(topic).size(), "records kept across restarts");
        } finally {
            assertEquals(0, stop(again));
        }
    }

    @Test
    void aTakenPortFailsWithOneLineAndExitCode1(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Process p = new ProcessBuilder(
                            javaBin(),
                            "-jar",
                            jar().toString(),
                            "broker",
                            "--port",
                            Integer.toString(taken.getLocalPort()),
                            "--data-dir",
                            dir.resolve("b").toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue(), "exit code; stderr: " + err);
            assertTrue(err.contains("statecast: the broker did not start: Port " + taken.getLocalPort()), err);
            assertFalse(err.contains("\tat "), "a stack trace on stderr: " + err);
        }
    }

    // A non-Java client sees the broker: only where kcat is installed (.ci/run installs it).
    private static void listedByKcat(int port) {
        assumingThat(onPath("kcat"), () -> {
            Process kcat = new ProcessBuilder("kcat", "-L", "-b", "127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(kcat.waitFor(30, TimeUnit.SECONDS));
            assertTrue(out.contains("1 brokers") && out.contains("127.0.0.1:" + port), "kcat -L printed: " + out);
        });
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }

    private static Path jar() {
        Path jar = Path.of("target", "statecast-dev.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in the package phase, before integration-test");
        return jar;
    }

    private static Process startBroker(int port, Path data) throws IOException {
        Process p = new ProcessBuilder(
                        javaBin(),
                        "-jar",
                        jar().toString(),
                        "broker",
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals(
                "Kafka broker ready at 127.0.0.1:" + port + " (data: " + data.toAbsolutePath() + ")",
                line,
                "first line");
        return p;
    }

    private static int stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "broker stopped within 60 s");
        return p.exitValue();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
