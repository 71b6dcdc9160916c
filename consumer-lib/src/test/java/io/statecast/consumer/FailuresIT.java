package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FailuresIT {

    @Test
    void aBrokerOutageLeavesTheViewReadableAndStaleThenItResumesWithoutReBootstrap() {
        try (KafkaFixture kafka =
                KafkaFixture.of(EmbeddedKafkaCluster.builder().build().start())) {
            Namespace ns = BootstrapIT.provision(kafka, 2);
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.begin();
                for (int i = 0; i < 200; i++) {
                    m.write(i % 2, "pod-" + i, FakeMaterializer.pod("pod-" + i, "n", PodPhase.RUNNING));
                }
                m.commit();
            }
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .checks(Duration.ofMillis(300), Duration.ofSeconds(5))
                    .build()) {
                view.start().awaitReady(Duration.ofSeconds(30));
                long fetchedBefore = view.stats().recordsApplied();

                kafka.embedded().stopBroker(0);
                Conditions.waitFor(
                        "STALE", Duration.ofSeconds(30), () -> view.status().state() == ViewStatus.State.STALE);
                assertNotNull(view.status().staleSince());
                assertEquals(200, view.size(), "reads keep working on the last view");
                assertNotNull(view.get("pod-7"));

                kafka.embedded().startBroker(0);
                Conditions.waitFor(
                        "READY again",
                        Duration.ofSeconds(60),
                        () -> view.status().state() == ViewStatus.State.READY);
                try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                    m.begin();
                    m.write(0, "pod-new", FakeMaterializer.pod("pod-new", "n", PodPhase.PENDING));
                    m.commit();
                }
                Conditions.waitFor("the delta after recovery", Duration.ofSeconds(30), () -> view.contains("pod-new"));
                assertEquals(
                        fetchedBefore + 1, view.stats().recordsApplied(), "only the delta was read: no re-bootstrap");
                assertNull(view.status().staleSince());
            }
        }
    }

    /**
     * A checksum condemns the partition just as the broker goes away: the re-read's offset requests time
     * out. The broker is stopped from inside the index extractor, on the view's poll thread, while it
     * applies the record the checksum waits for (its transaction's), so the re-read starts with the broker
     * gone, every time.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aBrokerLostAtTheStartOfAReReadLeavesTheViewStaleAndTheReReadResumesWhenItReturns() {
        try (KafkaFixture kafka =
                KafkaFixture.of(EmbeddedKafkaCluster.builder().build().start())) {
            Namespace ns = BootstrapIT.provision(kafka, 1);
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.begin();
                m.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING));
                m.commit();
            }
            AtomicBoolean stopped = new AtomicBoolean();
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .checks(Duration.ofMillis(300), Duration.ofSeconds(5))
                    .index("byNode", p -> {
                        if ("stop-broker".equals(p.getNode()) && stopped.compareAndSet(false, true)) {
                            kafka.embedded().stopBroker(0);
                        }
                        return p.getNode();
                    })
                    .build()) {
                view.start().awaitReady(Duration.ofSeconds(30));
                try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                    // In one transaction, pod-2 and a wrong checksum at srcOffset 1: the checksum is judged
                    // once the view read past pod-2 (the high watermark asked after it), i.e. right after the
                    // index extractor stopped the broker.
                    m.skipSrcOffsets(1);
                    m.begin();
                    m.checksum(0, 1, 1, List.of(1L, 2L), 2L);
                    m.skipSrcOffsets(1);
                    m.write(0, "pod-2", FakeMaterializer.pod("pod-2", "stop-broker", PodPhase.RUNNING));
                    m.commit();
                }
                Conditions.waitFor("the broker stopped by the view's thread", Duration.ofSeconds(60), stopped::get);
                Conditions.waitFor(
                        "STALE (or FAILED)",
                        Duration.ofSeconds(120),
                        () -> view.status().state() == ViewStatus.State.STALE
                                || view.status().state() == ViewStatus.State.FAILED);
                kafka.embedded().startBroker(0);
                Conditions.waitFor(
                        "READY again, re-read whole",
                        Duration.ofSeconds(90),
                        () -> view.status().state() + " " + view.stats().resets() + " " + view.size(),
                        s -> s.equals("READY 1 2"));
                assertTrue(view.contains("pod-0") && view.contains("pod-2"));
                assertEquals(1, view.stats().checks().heals());
            }
        }
    }

    @Test
    void aRecreatedTopicResetsListenersAndReBootstraps(KafkaFixture kafka) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "old-1", FakeMaterializer.pod("old-1", "n", PodPhase.RUNNING));
            m.write(0, "old-2", FakeMaterializer.pod("old-2", "n", PodPhase.RUNNING));
            m.commit();
        }
        List<ResetEvent> resets = new CopyOnWriteArrayList<>();
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .checks(Duration.ofSeconds(1), Duration.ofMillis(500))
                .listener(
                        "resets",
                        new ViewListener<Pod>() {
                            @Override
                            public void onReset(ResetEvent reset) {
                                resets.add(reset);
                            }
                        },
                        1000,
                        OverflowPolicy.DROP_AND_RESET)
                .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            assertEquals(2, view.size());

            KafkaFixture.get(kafka.admin().deleteTopics(List.of(ns.state())).all());
            Conditions.waitFor(
                    "deleted",
                    Duration.ofSeconds(30),
                    () -> !KafkaFixture.get(kafka.admin().listTopics().names()).contains(ns.state()));
            kafka.createTopic(ns.state(), 1, java.util.Map.of("cleanup.policy", "compact"));
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.begin();
                m.write(0, "new-1", FakeMaterializer.pod("new-1", "n", PodPhase.RUNNING));
                m.commit();
            }
            Conditions.waitFor(
                    "re-bootstrapped from the new topic",
                    Duration.ofSeconds(60),
                    () -> view.contains("new-1") && !view.contains("old-1"));
            assertEquals(1, view.size());
            Conditions.waitFor("a reset event", Duration.ofSeconds(10), () -> !resets.isEmpty());
            assertTrue(
                    resets.get(0).reason() == ResetEvent.Reason.TOPIC_RECREATED
                            || resets.get(0).reason() == ResetEvent.Reason.OFFSET_OUT_OF_RANGE,
                    resets.toString());
            assertTrue(view.stats().resets() >= 1);
        }
    }
}
