package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Views follow the digest version of the materializer's checksums, whichever they started with. */
@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DigestVersionIT {

    @Test
    void viewsVerifyChecksumsOfEitherVersionAndFollowTheMaterializersSwitch(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        List<ResetEvent> agentResets = new CopyOnWriteArrayList<>();
        try (StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build();
                // computes version 2 from the start (the default); the materializer first emits version 1
                StateView<Pod> whole = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build();
                StateView<Pod> agent = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .filter(pod -> "node-1".equals(pod.getNode()))
                        .listener("resets", new ViewListener<>() {
                            @Override
                            public void onReset(ResetEvent reset) {
                                agentResets.add(reset);
                            }
                        })
                        .build()) {
            Map<String, Pod> table = VerificationIT.load(p, 300, 4);
            whole.start();
            agent.start();
            try (Materializer m = materializer(kafka, ns, 1)) {
                whole.awaitReady(Duration.ofSeconds(60));
                agent.awaitReady(Duration.ofSeconds(60));
                awaitVerified(m, List.of(whole, agent), table.size());
                assertTrue(
                        agentResets.stream().anyMatch(r -> r.reason() == ResetEvent.Reason.DIGEST_VERSION),
                        "the filtering view read its partitions again in version 1: " + agentResets);
            }
            try (Materializer m = materializer(kafka, ns, 2)) { // same stores: summed again in version 2
                awaitVerified(m, List.of(whole, agent), table.size());
            }
            for (StateView<Pod> v : List.of(whole, agent)) {
                assertEquals(0, v.stats().checks().mismatched(), "mismatches");
                assertEquals(List.of(), v.status().alarms());
            }
        }
    }

    // Each view verifies a few more checksums than it had: after a switch, the first ones of the new
    // version may precede the view's re-summed point (not comparable), later ones verify.
    private static void awaitVerified(Materializer m, List<StateView<Pod>> views, int entries) {
        Conditions.waitFor(
                "the view holds every entry",
                Duration.ofSeconds(60),
                () -> views.get(0).size() == entries);
        Map<StateView<Pod>, Long> before = new HashMap<>();
        views.forEach(v -> before.put(v, v.stats().checks().verified()));
        Conditions.waitFor(
                "every view verifies checksums of the materializer's version", Duration.ofSeconds(60), () -> {
                    m.requestChecksums();
                    return views.stream().allMatch(v -> v.stats().checks().verified() >= before.get(v) + 4);
                });
    }

    private static Materializer materializer(KafkaFixture kafka, Namespace ns, int digestVersion) {
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 600_000L);
        c.put(MaterializerConfig.DIGEST_VERSION, digestVersion);
        c.put(
                MaterializerConfig.STATE_DIR,
                Path.of(
                                System.getProperty("statecast.test.dir", System.getProperty("java.io.tmpdir")),
                                "digest-version-" + ns.name())
                        .toString());
        Materializer m = new Materializer(new MaterializerConfig(c)).start();
        Conditions.waitFor("RUNNING", Duration.ofSeconds(60), () -> m.state() == KafkaStreams.State.RUNNING);
        return m;
    }
}
