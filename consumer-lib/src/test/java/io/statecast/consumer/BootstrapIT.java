package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BootstrapIT {

    static Namespace provision(KafkaFixture kafka, int partitions) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(partitions));
        }
        return ns;
    }

    @Test
    void reportsReadyOnlyAfterEveryPartitionReachedItsEndThroughCommittedAbortedAndControlRecords(KafkaFixture kafka) {
        Namespace ns = provision(kafka, 3);
        Map<String, Pod> expected = new HashMap<>();
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            for (int batch = 0; batch < 20; batch++) {
                m.begin();
                for (int i = 0; i < 50; i++) {
                    String key = "pod-" + ((batch * 50 + i) % 400);
                    Pod pod = FakeMaterializer.pod(key, "node-" + (i % 5), PodPhase.RUNNING);
                    m.write(i % 3, key, pod);
                    expected.put(key, pod);
                }
                m.commit();
                m.begin();
                m.write(0, "aborted-" + batch, FakeMaterializer.pod("x", "node-0", PodPhase.FAILED));
                m.write(1, "pod-1", null);
                m.abort(); // invisible to read_committed, but it leaves data and a control marker in the log
            }
            m.begin();
            m.write(2, "pod-2", null);
            expected.remove("pod-2");
            m.commit();
        }
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            view.start();
            Map<String, Pod> atReady =
                    view.ready().thenApply(s -> view.snapshot()).join();
            assertEquals(expected, atReady, "the view at the moment it reports ready");
            ViewStatus status = view.status();
            assertEquals(ViewStatus.State.READY, status.state());
            status.partitions()
                    .forEach(p -> assertTrue(p.position() >= p.endOffset() && p.percent() == 100.0, p.toString()));
            assertNull(view.get("aborted-3"));
            assertEquals(expected.size(), view.size());
            assertTrue(view.stats().bootstrapDuration().toNanos() > 0);
        }
    }

    @Test
    void anUndecodableRecordIsSkippedAndCounted(KafkaFixture kafka) {
        Namespace ns = provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "good", FakeMaterializer.pod("good", "n", PodPhase.RUNNING));
            m.raw(0, "poison", "definitely not avro".getBytes());
            m.write(0, "good-too", FakeMaterializer.pod("good-too", "n", PodPhase.RUNNING));
            m.commit();
        }
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            assertEquals(2, view.size());
            assertEquals(1, view.stats().recordsSkipped());
            assertTrue(!view.contains("poison"));
        }
    }
}
