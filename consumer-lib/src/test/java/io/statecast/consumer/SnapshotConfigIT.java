package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot is loaded only by a view configured as the one that saved it. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SnapshotConfigIT {

    @Test
    void aSnapshotSavedUnderAFilterIsNotLoadedByAViewWithoutIt(KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        Map<String, Pod> table;
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            table = WarmRestartIT.fill(kafka, ns, m);
        }
        try (StateView<Pod> node1 =
                view(kafka, ns, dir).filter(onNode("node-1")).build()) {
            node1.start().awaitReady(Duration.ofSeconds(30));
        } // close saves node-1's pods
        try (StateView<Pod> all = view(kafka, ns, dir).build()) {
            all.start().awaitReady(Duration.ofSeconds(30));
            assertEquals(table, all.snapshot(), "every pod, not only node-1's");
            assertRejected(all, "configuration");
        }
    }

    @Test
    void aDeclaredConfigVersionKeepsTheSnapshotOfAnotherFilterOut(KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        Map<String, Pod> table;
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            table = WarmRestartIT.fill(kafka, ns, m);
        }
        try (StateView<Pod> v1 =
                view(kafka, ns, dir).filter(onNode("node-1")).configVersion("1").build()) {
            v1.start().awaitReady(Duration.ofSeconds(30));
        }
        Map<String, Pod> node2 = table.entrySet().stream()
                .filter(e -> "node-2".equals(e.getValue().getNode()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        try (StateView<Pod> v2 =
                view(kafka, ns, dir).filter(onNode("node-2")).configVersion("2").build()) {
            v2.start().awaitReady(Duration.ofSeconds(30));
            assertEquals(node2, v2.snapshot(), "node-2's pods, not node-1's");
            assertRejected(v2, "config.version=1");
        }
        try (StateView<Pod> again =
                view(kafka, ns, dir).filter(onNode("node-2")).configVersion("2").build()) {
            again.start().awaitReady(Duration.ofSeconds(30));
            String mode = again.stats().startMode();
            assertTrue(mode.startsWith("warm restart from snapshot"), mode);
            assertEquals(node2, again.snapshot());
        }
    }

    private static java.util.function.Predicate<Pod> onNode(String node) {
        return p -> node.equals(p.getNode());
    }

    private static void assertRejected(StateView<Pod> v, String why) {
        String mode = v.stats().startMode();
        assertTrue(mode.startsWith("full bootstrap: snapshot rejected: ") && mode.contains(why), mode);
    }

    private static StateView.Builder<Pod> view(KafkaFixture kafka, Namespace ns, Path dir) {
        return StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .snapshots(dir, Duration.ofHours(1));
    }
}
