package io.statecast.cli;

import static io.statecast.cli.ProduceAndTopicsCommandIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.cli.ProduceAndTopicsCommandIT.Run;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when a command cannot do its job: one line on stderr, exit 1 (failed) or 2 (usage/config). */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandErrorsIT {

    static void assertOneLine(Run r, int exit, String contains) {
        assertEquals(exit, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("statecast: ") && r.err().contains(contains), r.err());
    }

    @Test
    void aNamespaceThatDoesNotExistIsAConfigurationError(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        String b = kafka.bootstrapServers();
        String ns = kafka.newNamespace();
        assertOneLine(
                run("watch", "--bootstrap-servers", b, "--namespace", ns, "--exit-when-ready"),
                2,
                "Topic '" + ns + ".state' does not exist");
        Path in = Files.writeString(dir.resolve("in.ndjson"), "{\"op\":\"DELETE\",\"key\":\"k\"}\n");
        assertOneLine(
                run("produce", "--bootstrap-servers", b, "--namespace", ns, "--file", in.toString()),
                2,
                "Topic '" + ns + ".changes' does not exist");
        assertOneLine(run("audit", "verify", "--bootstrap-servers", b, "--namespace", ns), 2, "not found");
    }

    @Test
    void brokersThatDoNotAnswerFailWithOneLineNamingTheFlag() throws Exception {
        // A port that takes connections and never answers: no broker can be there, whatever else runs here.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String servers = "127.0.0.1:" + silent.getLocalPort();
            assertOneLine(
                    run("audit", "history", "--bootstrap-servers", servers, "--namespace", "k8s", "key"),
                    1,
                    "Cannot reach Kafka at " + servers + " within 15 s; check --bootstrap-servers");
        }
    }

    @Test
    void badFilesAndFlagsAreUsageErrors(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        String b = kafka.bootstrapServers();
        Path notAvro = Files.writeString(dir.resolve("x.avsc"), "{\"type\":\"record\"}");
        assertOneLine(
                run("watch", "--bootstrap-servers", b, "--namespace", "k8s", "--value-schema", notAvro.toString()),
                2,
                "is not a valid Avro schema");
        assertOneLine(
                run("produce", "--bootstrap-servers", b, "--namespace", "k8s", "--value-type", "car"),
                2,
                "--value-type must be pod or node, was car");
        assertOneLine(
                run(
                        "watch",
                        "--bootstrap-servers",
                        b,
                        "--namespace",
                        "k8s",
                        "--config",
                        dir.resolve("none").toString()),
                2,
                "Cannot read config file");
    }
}
