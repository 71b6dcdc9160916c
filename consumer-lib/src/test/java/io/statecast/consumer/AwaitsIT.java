package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.PartitionNotReadException;
import io.statecast.common.Receipt;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Read-your-writes waits never pile up: timed out ones leave, impossible ones fail at once. */
@StatecastKafkaTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AwaitsIT {

    @Test
    void timedOutAwaitsAreForgotten(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING));
            m.commit();
        }
        try (StateView<Pod> view = view(kafka, ns).build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            for (int i = 0; i < 200; i++) {
                assertFalse(view.await(new Receipt(ns.changes(), 0, 1_000 + i, 0), Duration.ofMillis(1)));
            }
            Conditions.waitFor(
                    "no waits left once they timed out",
                    Duration.ofSeconds(10),
                    () -> ViewTestSeams.pendingAwaits(view),
                    n -> n == 0);
        }
    }

    @Test
    void anAwaitForAPartitionTheViewDoesNotReadFailsAtOnce(KafkaFixture kafka) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (StateView<Pod> view = view(kafka, ns).partitions(Set.of(0)).build();
                StateView<Pod> all = view(kafka, ns).build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            all.start().awaitReady(Duration.ofSeconds(30));
            assertNotRead(view.await(new Receipt(ns.changes(), 1, 0, 0)));
            assertNotRead(all.await(new Receipt(ns.changes(), 5, 0, 0))); // the topic has partitions 0 and 1
        }
    }

    private static void assertNotRead(CompletableFuture<Void> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof PartitionNotReadException, e.toString());
    }

    private static StateView.Builder<Pod> view(KafkaFixture kafka, Namespace ns) {
        return StateView.builder(Pod.class).namespace(ns.name()).kafka(kafka.clientConfig());
    }
}
