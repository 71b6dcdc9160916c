package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where a view starts reading its marks partitions: at the latest mark, not on the commit marker after
 * it, and inside the log when retention has emptied it.
 */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MarksPositionIT {

    @Test
    void aViewStartedAfterARejectedWriteSeesItThroughTheLatestMark(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING));
            m.progress(0, 5, 0); // changes 1..5 rejected or no-ops: only this mark says they were processed
            m.commit();
        }
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            assertTrue(
                    view.await(new Receipt(ns.changes(), 0, 5, 0), Duration.ofSeconds(10)),
                    "the latest mark, written before the view started, covers the rejected write");
        }
    }

    @Test
    void aMarksLogEmptiedByRetentionDoesNotStopTheView(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING));
            m.progress(0, 0, 0);
            m.commit();
        }
        TopicPartition marks = new TopicPartition(ns.checksums(), 0);
        long end = KafkaFixture.get(kafka.admin()
                        .listOffsets(Map.of(marks, OffsetSpec.latest()))
                        .all())
                .get(marks)
                .offset();
        // What retention does to an idle checksums partition: every record gone, log start = log end.
        KafkaFixture.get(kafka.admin()
                .deleteRecords(Map.of(marks, RecordsToDelete.beforeOffset(end)))
                .all());
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.skipSrcOffsets(1);
                m.begin();
                m.write(0, "pod-1", FakeMaterializer.pod("pod-1", "n", PodPhase.RUNNING));
                m.progress(0, 3, 1);
                m.commit();
            }
            Conditions.waitFor("the next state record applied", Duration.ofSeconds(30), () -> view.contains("pod-1"));
            assertTrue(view.await(new Receipt(ns.changes(), 0, 3, 0), Duration.ofSeconds(10)), "and the next mark");
            assertEquals(ViewStatus.State.READY, view.status().state());
        }
    }
}
