package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Digest;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A transaction's commit markers reach its partitions one at a time, so a view can see a mark (a
 * progress mark or a checksum) committed while the state records of the same transaction still wait
 * behind their marker. Here two transactional producers make that order happen for sure: the state
 * record's transaction stays open while the mark's is committed.
 */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MarkOrderIT {

    @Test
    void aMarkDoesNotCompleteReadYourWritesBeforeTheStateRecordItFollowsIsVisible(KafkaFixture kafka) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer state = new FakeMaterializer(kafka, ns, "fake-state-" + ns.name());
                FakeMaterializer marks = new FakeMaterializer(kafka, ns, "fake-marks-" + ns.name());
                StateView<Pod> view = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            Pod pod = FakeMaterializer.pod("pod-x", "node-1", PodPhase.RUNNING);
            long src = state.nextSrcOffset();
            state.begin();
            state.write(0, "pod-x", pod);
            state.flush(); // in the log, behind an open transaction: invisible to read_committed
            long fetchedBefore = view.stats().bytesFetched();
            marks.begin();
            marks.progress(0, src, src); // "changes up to src processed; the last state record is src's"
            marks.commit();

            CompletableFuture<Void> done = view.await(new Receipt(ns.changes(), 0, src, 0));
            // The view has read the mark (the only record it can fetch) and reached the state partition's
            // stable offset, which stops short of the open transaction; the mark waits for the watermark past it.
            Conditions.waitFor(
                    "the mark read", Duration.ofSeconds(4), () -> view.stats().bytesFetched() > fetchedBefore);
            long stable = lastStableOffset(kafka, ns);
            Conditions.waitFor(
                    "the view at the stable offset " + stable,
                    Duration.ofSeconds(4),
                    () -> view.status().partitions().get(0).position() >= stable);
            // A second, identical mark read by a later poll: by then the first poll's waiters were long checked.
            long fetchedOnce = view.stats().bytesFetched();
            marks.begin();
            marks.progress(0, src, src);
            marks.commit();
            Conditions.waitFor(
                    "a later poll", Duration.ofSeconds(4), () -> view.stats().bytesFetched() > fetchedOnce);
            assertFalse(done.isDone(), "read-your-writes completed while the write's state record was invisible");
            assertNull(view.get("pod-x"));

            state.commit();
            done.get(30, TimeUnit.SECONDS);
            assertEquals(pod, view.get("pod-x"), "once await completes, the write is visible");
        }
    }

    private static long lastStableOffset(KafkaFixture kafka, Namespace ns) {
        TopicPartition tp = new TopicPartition(ns.state(), 0);
        return KafkaFixture.get(kafka.admin()
                        .listOffsets(
                                Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .partitionResult(tp))
                .offset();
    }

    /**
     * The coordinator may stall for longer than any grace between the commit marker of the checksums
     * partition and that of the state partition: read-your-writes must wait as long, with no timeout.
     */
    @Test
    void aMarkWaitsForItsStateRecordsHoweverLongTheirTransactionStaysOpen(KafkaFixture kafka) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer state = new FakeMaterializer(kafka, ns, "fake-state-" + ns.name());
                FakeMaterializer marks = new FakeMaterializer(kafka, ns, "fake-marks-" + ns.name());
                StateView<Pod> view = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            Pod pod = FakeMaterializer.pod("pod-x", "node-1", PodPhase.RUNNING);
            long src = state.nextSrcOffset();
            state.begin();
            state.write(0, "pod-x", pod);
            state.flush();
            marks.begin();
            marks.progress(0, src, src);
            marks.commit();
            CompletableFuture<Void> done = view.await(new Receipt(ns.changes(), 0, src, 0));
            Awaitility.await("read-your-writes held while the write's state record is invisible")
                    .during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(12))
                    .until(() -> !done.isDone() && view.get("pod-x") == null);
            state.commit();
            done.get(30, TimeUnit.SECONDS);
            assertEquals(pod, view.get("pod-x"), "once await completes, the write is visible");
        }
    }

    /** The same stall must not make a checksum covering the invisible record a (false) mismatch. */
    @Test
    void aChecksumIsJudgedOnlyOnceTheStateRecordsItCoversAreVisible(KafkaFixture kafka) throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer state = new FakeMaterializer(kafka, ns, "fake-state-" + ns.name());
                FakeMaterializer marks = new FakeMaterializer(kafka, ns, "fake-marks-" + ns.name())) {
            Digest digest = new Digest();
            state.begin();
            digest.add(key("pod-0"), state.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING)));
            state.commit();
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .build()) {
                view.start().awaitReady(Duration.ofSeconds(30));
                long src = state.nextSrcOffset();
                state.begin();
                digest.add(key("pod-x"), state.write(0, "pod-x", FakeMaterializer.pod("pod-x", "n", PodPhase.RUNNING)));
                state.flush();
                marks.begin();
                marks.checksum(
                        0,
                        src,
                        2,
                        List.of(digest.value().lane0(), digest.value().lane1()),
                        src);
                marks.commit();
                Awaitility.await("no verdict while the checksum's last record is invisible")
                        .during(Duration.ofSeconds(12))
                        .atMost(Duration.ofSeconds(16))
                        .until(() -> view.stats().checks().mismatched() == 0
                                && view.stats().checks().verified() == 0);
                state.commit();
                Conditions.waitFor(
                        "verified once its records are in",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks(),
                        c -> c.verified() == 1);
                assertEquals(0, view.stats().checks().mismatched());
                assertEquals(0, view.stats().checks().heals());
            }
        }
    }

    private static byte[] key(String k) {
        return k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aMarkWhoseStateRecordNeverShowsStillCompletes(KafkaFixture kafka) throws Exception {
        // The record a mark names can be gone: a tombstone the cleaner removed with nothing after it.
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer marks = new FakeMaterializer(kafka, ns, "fake-marks-" + ns.name());
                StateView<Pod> view = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            marks.begin();
            marks.progress(0, 500, 400);
            marks.commit();
            assertTrue(
                    view.await(new Receipt(ns.changes(), 0, 500, 0), Duration.ofSeconds(30)),
                    "the watermark alone decides: the header is not needed");
        }
    }
}
