package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.TopicMismatchException;
import io.statecast.common.ViewFailedException;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partitions added to a namespace move keys to other partitions: a view must fail loudly (FAILED, a
 * {@link TopicMismatchException} saying which counts differ), not go on serving a table it cannot keep.
 */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartitionCountIT {

    @Test
    void aRunningViewFailsWhenTheStateTopicGainsPartitions(KafkaFixture kafka) {
        Namespace ns = populated(kafka);
        try (StateView<Pod> view = view(kafka, ns).build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            grow(kafka, ns.state(), ns.changes());
            assertFailed(view, "from 2 to 3 partitions");
            assertThrows(ViewFailedException.class, () -> view.get("pod-0"));
        }
    }

    @Test
    void aStartingViewFailsWhenStateAndChangesDifferInPartitions(KafkaFixture kafka) {
        Namespace ns = populated(kafka);
        grow(kafka, ns.state(), ns.checksums()); // changes left at 2: the materializer runs with 2
        try (StateView<Pod> view = view(kafka, ns).build()) {
            view.start();
            assertFailed(view, "3 partitions, " + ns.changes() + " 2");
        }
    }

    @Test
    void aViewFailsWhenAMarkSaysTheMaterializerRunsWithAnotherCount(KafkaFixture kafka) {
        Namespace ns = populated(kafka);
        grow(kafka, ns.state(), ns.changes(), ns.checksums()); // all grown, the materializer still at 2
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.progress(0, 5, 0, 2);
            m.commit();
        }
        try (StateView<Pod> starting = view(kafka, ns).build()) {
            starting.start();
            assertFailed(starting, "the materializer runs with 2");
        }
    }

    @Test
    void marksOfTheCountTheViewReadsAreFine(KafkaFixture kafka) {
        Namespace ns = populated(kafka);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.progress(1, 5, 1, 2);
            m.commit();
        }
        try (StateView<Pod> view = view(kafka, ns).build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            assertTrue(view.await(new io.statecast.common.Receipt(ns.changes(), 1, 5, 0), Duration.ofSeconds(30)));
        }
    }

    private static Namespace populated(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING));
            m.write(1, "pod-1", FakeMaterializer.pod("pod-1", "n", PodPhase.RUNNING));
            m.commit();
        }
        return ns;
    }

    private static void grow(KafkaFixture kafka, String... topics) {
        Map<String, NewPartitions> m = new HashMap<>();
        for (String t : topics) {
            m.put(t, NewPartitions.increaseTo(3));
        }
        KafkaFixture.get(kafka.admin().createPartitions(m).all());
    }

    private static void assertFailed(StateView<Pod> view, String says) {
        Conditions.waitFor("FAILED", Duration.ofSeconds(30), view::status, s -> s.state() == ViewStatus.State.FAILED);
        Throwable cause = view.status().cause();
        assertTrue(
                cause instanceof TopicMismatchException && cause.getMessage().contains(says),
                "expected a TopicMismatchException saying '" + says + "', got " + cause);
    }

    private static StateView.Builder<Pod> view(KafkaFixture kafka, Namespace ns) {
        return StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .checks(Duration.ofSeconds(1), Duration.ofMillis(300));
    }
}
