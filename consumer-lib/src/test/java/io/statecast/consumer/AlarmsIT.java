package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A partition that keeps mismatching raises an alarm each time, but the view keeps only the newest. */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AlarmsIT {

    @Test
    void alarmsOfARepeatingMismatchAreBounded(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING));
            m.commit();
        }
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.begin(); // a wrong checksum naming the applied record: healed (re-read) once
                m.checksum(0, 0, 7, List.of(1L, 2L), 0L);
                m.commit();
                // Reset for the heal, and its re-read whole again (size() waits for it): a re-read starts the
                // marks partition near its end, which would skip most of the checksums below if they came first.
                Conditions.waitFor(
                        "healed once, whole again",
                        Duration.ofSeconds(30),
                        () -> view.stats().resets() == 1 && view.size() == 1);
                m.begin(); // and again and again: an alarm each time, never another re-read
                for (int i = 0; i < 150; i++) {
                    m.checksum(0, 0, 7, List.of(1L, 2L), 0L);
                }
                m.commit();
            }
            Conditions.waitFor(
                    "150 more alarms raised",
                    Duration.ofSeconds(60),
                    () -> view.stats().checks().alarms(),
                    n -> n >= 150);
            List<String> alarms = view.status().alarms();
            assertEquals(101, alarms.size(), "the newest 100, after a line saying how many were dropped");
            assertTrue(alarms.get(0).contains("older alarm(s) dropped"), alarms.get(0));
            assertEquals(1, view.stats().checks().heals());
        }
    }
}
