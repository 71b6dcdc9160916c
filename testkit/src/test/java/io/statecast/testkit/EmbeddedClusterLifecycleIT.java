package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole-cluster restarts on a caller's directory (what {@code statecast broker} does) and start failures. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedClusterLifecycleIT {

    @Test
    void aNewClusterOnTheSameDataDirAndPortHasTheTopicsOfThePreviousOne(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (KafkaFixture kafka = KafkaFixture.of(cluster(dir, port))) {
            kafka.createTopic("kept", 2, Map.of());
            kafka.produce("kept", List.of(new ProducerRecord<>("kept", bytes("k"), bytes("v"))));
        }
        try (KafkaFixture kafka = KafkaFixture.of(cluster(dir, port))) {
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            assertEquals("v", new String(kafka.readToEnd("kept").get(0).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTakenPortFailsTheStartWithAMessageNamingIt(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder()
                    .dataDir(dir)
                    .port(taken.getLocalPort())
                    .build();
            IllegalStateException e = assertThrows(IllegalStateException.class, cluster::start);
            assertTrue(
                    e.getMessage().contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use"),
                    e.getMessage());
            cluster.close();
            cluster.close(); // idempotent
        }
    }

    // Under load a node can take longer than the close timeout to stop. Deleting its files then failed
    // its log directory, and the broker halted the JVM: the whole test fork died (seen in a CI run).
    @Test
    void aCloseThatTimesOutKeepsTheFilesOfTheNodeStillStopping() throws Exception {
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder()
                .closeTimeout(Duration.ofMillis(1))
                .build()
                .start();
        try (KafkaFixture kafka = KafkaFixture.of(cluster)) {
            kafka.createTopic("files", 1, Map.of());
        }
        assertTrue(Files.isDirectory(cluster.dataDir().resolve("node-0").resolve("data")));
        assertFalse(cluster.isRunning(0)); // waits for the stop still under way
        Dirs.deleteRecursively(cluster.dataDir());
    }

    @Test
    void aBrokerAskingToHaltDoesNotEndTheProcess(@TempDir Path dir) throws Exception {
        try (KafkaFixture kafka = KafkaFixture.of(cluster(dir, 0))) {
            assertDoesNotThrow(() -> Exit.halt(1, "a broker's log directories all failed"));
            assertEquals(1, kafka.admin().describeCluster().nodes().get().size());
        }
    }

    private static EmbeddedKafkaCluster cluster(Path dir, int port) {
        return EmbeddedKafkaCluster.builder().dataDir(dir).port(port).build().start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
