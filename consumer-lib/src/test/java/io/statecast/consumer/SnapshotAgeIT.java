package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What decides whether tombstones may have been missed is when a partition was last read up to its
 * end, not when a snapshot was written: the state topic keeps tombstones for {@code delete.retention.ms}
 * (24 h here, Kafka's default). A clock moved forward stands for the hours a broker outage lasts.
 */
@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SnapshotAgeIT {

    @Test
    void aSnapshotSavedWhileStaleIsAgedFromWhenItWasLastCaughtUp(@TempDir Path dir) {
        try (KafkaFixture kafka =
                KafkaFixture.of(EmbeddedKafkaCluster.builder().build().start())) {
            Namespace ns = BootstrapIT.provision(kafka, 2);
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                WarmRestartIT.fill(kafka, ns, m);
            }
            ShiftedClock clock = new ShiftedClock();
            try (StateView<Pod> v = view(kafka, ns, dir, clock).build()) {
                v.start().awaitReady(Duration.ofSeconds(30));
                kafka.embedded().stopBroker(0);
                Conditions.waitFor(
                        "STALE", Duration.ofSeconds(30), () -> v.status().state() == ViewStatus.State.STALE);
                clock.shift(Duration.ofHours(20));
            } // saved while STALE: written 20 h after the view last read its partitions to the end
            kafka.embedded().startBroker(0);
            clock.shift(Duration.ofHours(5)); // 5 h after the write, 25 h after it was caught up
            try (StateView<Pod> v = view(kafka, ns, dir, clock).build()) {
                v.start().awaitReady(Duration.ofSeconds(60));
                String mode = v.stats().startMode();
                assertTrue(mode.startsWith("full bootstrap: snapshot rejected: ") && mode.contains("caught up"), mode);
                assertEquals(WarmRestartIT.KEYS, v.stats().recordsApplied(), "everything read again");
            }
        }
    }

    /**
     * A view whose partitions fell behind their log's end for longer than the retention (here: its poll
     * thread held in a filter while records are written and a day passes) may have missed deletes: it
     * reads them again instead of going on from its positions.
     */
    @Test
    void aViewBehindForLongerThanTheRetentionReadsItsPartitionsAgain(KafkaFixture kafka) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            WarmRestartIT.fill(kafka, ns, m);
        }
        ShiftedClock clock = new ShiftedClock();
        List<ResetEvent> resets = new CopyOnWriteArrayList<>();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (StateView<Pod> v = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .checks(Duration.ofMillis(1), Duration.ofSeconds(5)) // the broker check at every turn of the loop
                .clock(clock)
                .filter(pod -> holdOn(pod, held, release))
                .listener("resets", new ViewListener<>() {
                    @Override
                    public void onReset(ResetEvent event) {
                        resets.add(event);
                    }
                })
                .build()) {
            v.start().awaitReady(Duration.ofSeconds(30));
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.begin();
                m.write(0, "pod-hold", FakeMaterializer.pod("pod-hold", "n", PodPhase.RUNNING));
                m.commit();
                assertTrue(held.await(30, TimeUnit.SECONDS), "the poll thread reached the filter");
                m.begin();
                for (int i = 0; i < 10; i++) {
                    m.write(i % 2, "late-" + i, FakeMaterializer.pod("late-" + i, "n", PodPhase.RUNNING));
                }
                m.commit();
            }
            clock.shift(Duration.ofHours(25));
            release.countDown();
            Conditions.waitFor(
                    "both partitions read again for their age",
                    Duration.ofSeconds(60),
                    () -> resets.stream()
                            .filter(e -> e.reason().name().equals("DELETE_RETENTION"))
                            .flatMap(e -> e.partitions().stream())
                            .collect(Collectors.toSet()),
                    Set.of(0, 1)::equals);
            Conditions.waitFor(
                    "READY with every pod",
                    Duration.ofSeconds(60),
                    () -> v.status().state() == ViewStatus.State.READY && v.size() == WarmRestartIT.KEYS + 11);
        }
    }

    private static boolean holdOn(Pod pod, CountDownLatch held, CountDownLatch release) {
        if ("pod-hold".equals(pod.getName())) {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    private static StateView.Builder<Pod> view(KafkaFixture kafka, Namespace ns, Path dir, ShiftedClock clock) {
        return StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .checks(Duration.ofMillis(300), Duration.ofSeconds(5))
                .snapshots(dir, Duration.ofHours(1))
                .clock(clock);
    }
}
