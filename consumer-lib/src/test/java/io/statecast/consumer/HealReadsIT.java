package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.Namespace;
import io.statecast.common.ViewNotReadyException;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A self-heal reads a partition again from the beginning: until it is whole, a read of it must wait or
 * fail, never answer from its partial entries, and listeners hear when it is whole again. The broker is
 * stopped by the view's own poll thread just as the heal starts, so the partition stays half-read (empty)
 * for as long as the test looks at it.
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HealReadsIT {
    private static final int KEYS = 40;

    @Test
    void aPartitionReadAgainIsNotServedUntilItIsWholeAndListenersHearWhenItIs() {
        try (KafkaFixture kafka =
                KafkaFixture.of(EmbeddedKafkaCluster.builder().build().start())) {
            Namespace ns = BootstrapIT.provision(kafka, 2);
            List<String> home0 = new ArrayList<>();
            List<String> home1 = new ArrayList<>();
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.begin();
                for (int i = 0; i < KEYS; i++) {
                    String key = "pod-" + i;
                    int p = homeOf(key);
                    (p == 0 ? home0 : home1).add(key);
                    m.write(p, key, FakeMaterializer.pod(key, "n", PodPhase.RUNNING));
                }
                m.commit();
            }
            AtomicBoolean stopped = new AtomicBoolean();
            List<ResetEvent> resets = new CopyOnWriteArrayList<>();
            List<Integer> sizesWhenWhole = new CopyOnWriteArrayList<>();
            @SuppressWarnings("unchecked")
            StateView<Pod>[] self = new StateView[1];
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .checks(Duration.ofMillis(300), Duration.ofSeconds(5))
                    .readPolicy(ReadPolicy.FAIL_FAST, Duration.ofSeconds(1))
                    .index("byNode", p -> {
                        if ("stop-broker".equals(p.getNode()) && stopped.compareAndSet(false, true)) {
                            kafka.embedded().stopBroker(0);
                        }
                        return p.getNode();
                    })
                    .listener("heal", new ViewListener<>() {
                        @Override
                        public void onReset(ResetEvent reset) {
                            resets.add(reset);
                        }

                        @Override
                        public void onWhole(ResetEvent reset) {
                            sizesWhenWhole.add(self[0].snapshot().size());
                        }
                    })
                    .build()) {
                self[0] = view;
                view.start().awaitReady(Duration.ofSeconds(30));
                String trigger = home0.get(0) + "-stop";
                while (homeOf(trigger) != 0) {
                    trigger = trigger + "x";
                }
                try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                    m.skipSrcOffsets(KEYS + 1);
                    m.begin(); // a wrong checksum of partition 0, judged once the view read past the trigger
                    m.checksum(0, KEYS, 1, List.of(1L, 2L), m.nextSrcOffset());
                    m.write(0, trigger, FakeMaterializer.pod(trigger, "stop-broker", PodPhase.RUNNING));
                    m.commit();
                }
                Conditions.waitFor(
                        "the heal of partition 0 started",
                        Duration.ofSeconds(60),
                        () -> resets.stream().anyMatch(r -> r.reason() == ResetEvent.Reason.CHECKSUM_MISMATCH));
                // Partition 0 is reset and its re-read waits for the brokers: it holds nothing now.
                assertThrows(ViewNotReadyException.class, () -> view.get(home0.get(1)), "a key of partition 0");
                assertThrows(ViewNotReadyException.class, view::size);
                assertThrows(ViewNotReadyException.class, view::snapshot);
                assertNotNull(view.get(home1.get(0)), "a key of the other partition is served");

                kafka.embedded().startBroker(0);
                Conditions.waitFor("whole again", Duration.ofSeconds(120), () -> sizesWhenWhole, s -> !s.isEmpty());
                assertEquals(KEYS + 1, sizesWhenWhole.get(0), "onWhole sees every entry");
                assertEquals(KEYS + 1, view.size());
                assertNotNull(view.get(home0.get(1)));
            }
        }
    }

    private static int homeOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
    }
}
