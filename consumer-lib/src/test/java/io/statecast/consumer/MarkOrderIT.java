package io.statecast.consumer;

import static io.statecast.consumer.EndToEndIT.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
            marks.begin();
            marks.progress(0, src, src); // "changes up to src processed; the last state record is src's"
            marks.commit();

            CompletableFuture<Void> done = view.await(new Receipt(ns.changes(), 0, src, 0));
            sleep(2000); // many polls: the view has read the mark and reached the state partition's stable offset
            assertFalse(done.isDone(), "read-your-writes completed while the write's state record was invisible");
            assertNull(view.get("pod-x"));

            state.commit();
            done.get(30, TimeUnit.SECONDS);
            assertEquals(pod, view.get("pod-x"), "once await completes, the write is visible");
        }
    }

    @Test
    void aMarkWhoseStateRecordNeverShowsStillCompletesAfterTheGrace(KafkaFixture kafka) throws Exception {
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
                    "after the grace the stable offset alone decides, as without the header");
        }
    }
}
