package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.consumer.internal.DeflateCompression;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Periodic snapshots are written beside the poll thread: changes keep coming while one is written. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SnapshotSaveIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static StateView<Pod> view(KafkaFixture kafka, Namespace ns, Path dir, Duration interval) {
        return view(kafka, ns, dir, interval, false);
    }

    static StateView<Pod> view(KafkaFixture kafka, Namespace ns, Path dir, Duration interval, boolean compact) {
        StateView.Builder<Pod> b = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .snapshots(dir, interval);
        if (compact) {
            b.valueCompression(new DeflateCompression(100));
        }
        return b.build();
    }

    @Test
    void aSnapshotBeingWrittenHoldsBackNoChange(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            Map<String, Pod> table = WarmRestartIT.fill(kafka, ns, m);
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (StateView<Pod> view = view(kafka, ns, dir, Duration.ofMillis(200))) {
                view.start().awaitReady(WAIT);
                ViewTestSeams.beforeSnapshotWrite(view, () -> {
                    writing.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(writing.await(30, TimeUnit.SECONDS), "a periodic snapshot began to be written");
                long savedBefore = view.stats().snapshots().saved(); // saves before the hook; none ends while held

                // While that save is held, a change is applied: it was written on the poll thread before,
                // which then applied nothing until the file was on disk.
                Pod moved = FakeMaterializer.pod("pod-1", "node-x", PodPhase.RUNNING);
                m.begin();
                m.write(1, "pod-1", moved);
                m.commit();
                table.put("pod-1", moved);
                Conditions.waitFor(
                        "pod-1 on node-x in the view while its snapshot is being written",
                        WAIT,
                        () -> "node-x".equals(view.get("pod-1").getNode()));
                assertEquals(savedBefore, view.stats().snapshots().saved(), "the held save has not finished");
                assertEquals(ViewStatus.State.READY, view.status().state());

                release.countDown();
                ViewTestSeams.beforeSnapshotWrite(view, null);
                Conditions.waitFor(
                        "the held snapshot written",
                        WAIT,
                        () -> view.stats().snapshots().saved() > savedBefore);
                assertEquals(0, view.stats().snapshots().failed());
            } // close writes the last snapshot, with the change
            try (StateView<Pod> again = view(kafka, ns, dir, Duration.ofHours(1))) {
                again.start().awaitReady(WAIT);
                assertTrue(
                        again.stats().startMode().startsWith("warm restart"),
                        again.stats().startMode());
                assertEquals(0, again.stats().recordsApplied(), "the snapshot at close held every change");
                assertEquals(table, again.snapshot());
            }
        }
    }

    // close() waits 10 s for the poll thread; a last save still being written then used to find the values'
    // compressor freed under it, and failed: the save reads values back to check them against the digests.
    @Test
    void aSaveAtCloseOutlastingCloseStillWritesItsSnapshot(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            Map<String, Pod> table = WarmRestartIT.fill(kafka, ns, m);
            StateView<Pod> view = view(kafka, ns, dir, Duration.ofHours(1), true);
            view.start().awaitReady(WAIT);
            CountDownLatch closed = new CountDownLatch(1);
            ViewTestSeams.beforeSnapshotWrite(view, () -> {
                try {
                    closed.await(60, TimeUnit.SECONDS); // held until close() has given up waiting
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            view.close();
            closed.countDown();
            Conditions.waitFor(
                    "the save at close ended",
                    WAIT,
                    () -> view.stats().snapshots().saved()
                                    + view.stats().snapshots().failed()
                            > 0);
            assertEquals(0, view.stats().snapshots().failed(), "the save at close failed");
            try (StateView<Pod> again = view(kafka, ns, dir, Duration.ofHours(1), true)) {
                again.start().awaitReady(WAIT);
                assertTrue(
                        again.stats().startMode().startsWith("warm restart"),
                        again.stats().startMode());
                assertEquals(table, again.snapshot());
            }
        }
    }

    // Each save's writer re-hashes what it writes against the partition's digest and refuses a file whose
    // entries disagree with it: a picture that changed under the writer would count as failed.
    @ParameterizedTest(name = "compact storage {0}")
    @ValueSource(booleans = {false, true})
    void snapshotsWrittenWhileChangesPourInAreEachConsistent(boolean compact, KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            Map<String, Pod> table = WarmRestartIT.fill(kafka, ns, m);
            Random r = new Random(7);
            try (StateView<Pod> view = view(kafka, ns, dir, Duration.ofMillis(20), compact)) {
                view.start().awaitReady(WAIT);
                for (int batch = 0; batch < 40; batch++) {
                    m.begin();
                    for (int i = 0; i < 50; i++) {
                        int k = r.nextInt(WarmRestartIT.KEYS + 200);
                        String key = "pod-" + k;
                        Pod p = r.nextInt(4) == 0
                                ? null
                                : FakeMaterializer.pod(key, "node-" + r.nextInt(9), PodPhase.RUNNING);
                        m.write(k % 2, key, p);
                        if (p == null) {
                            table.remove(key);
                        } else {
                            table.put(key, p);
                        }
                    }
                    m.commit();
                }
                Conditions.waitForEquals("the view", WAIT, table, view::snapshot);
                Conditions.waitFor(
                        "several snapshots",
                        WAIT,
                        () -> view.stats().snapshots().saved() >= 3);
                ViewStats.Snapshots s = view.stats().snapshots();
                assertEquals(0, s.failed(), "every snapshot agreed with its digests");
                assertTrue(s.lastWrite().toNanos() > 0, s.toString());
            }
            try (StateView<Pod> again = view(kafka, ns, dir, Duration.ofHours(1))) {
                again.start().awaitReady(WAIT);
                assertTrue(
                        again.stats().startMode().startsWith("warm restart"),
                        again.stats().startMode());
                assertEquals(table, again.snapshot());
            }
        }
    }
}
