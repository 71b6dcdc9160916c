package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statecast.common.Namespace;
import io.statecast.consumer.micrometer.ViewMeterBinder;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@StatecastKafkaTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ViewMeterBinderIT {

    @Test
    void publishesEntriesAppliedRecordsAndSnapshotsThroughMicrometer(KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "a", FakeMaterializer.pod("a", "n", PodPhase.RUNNING));
            m.write(0, "b", FakeMaterializer.pod("b", "n", PodPhase.RUNNING));
            m.write(0, "a", null);
            m.commit();
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .snapshots(dir, Duration.ofMillis(100))
                .build()) {
            new ViewMeterBinder(view, "test").bindTo(registry);
            view.start().awaitReady(Duration.ofSeconds(30));
            assertEquals(1.0, registry.get("statecast.view.entries").gauge().value());
            assertEquals(
                    3.0,
                    registry.get("statecast.view.records.applied")
                            .functionCounter()
                            .count());
            Conditions.waitFor(
                    "a snapshot saved",
                    Duration.ofSeconds(30),
                    () -> registry.get("statecast.view.snapshots.saved")
                                    .functionCounter()
                                    .count()
                            >= 1);
            assertEquals(
                    0.0,
                    registry.get("statecast.view.snapshots.failed")
                            .functionCounter()
                            .count());
            double pause = registry.get("statecast.view.snapshot.pause.seconds")
                    .gauge()
                    .value();
            assertTrue(pause > 0 && pause < 30, "pause " + pause);
        }
    }
}
