package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Producer → materializer → view, with the real modules. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EndToEndIT {

    static Materializer materializer(KafkaFixture kafka, Namespace ns) {
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 1000L);
        c.put(
                MaterializerConfig.STATE_DIR,
                Path.of(
                                System.getProperty("statecast.test.dir", System.getProperty("java.io.tmpdir")),
                                "streams-" + ns.name())
                        .toString());
        Materializer m = new Materializer(new MaterializerConfig(c)).start();
        Conditions.waitFor(
                "materializer RUNNING", Duration.ofSeconds(60), () -> m.state() == KafkaStreams.State.RUNNING);
        return m;
    }

    @Test
    void awaitCoversAppliedRejectedAndNoOpWritesAndIndexesFiltersAndListenersFollowTheTable(KafkaFixture kafka)
            throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 3);
        Map<String, List<Long>> versionsSeen = new ConcurrentHashMap<>();
        AtomicInteger counted = new AtomicInteger();
        try (Materializer m = materializer(kafka, ns);
                StatecastProducer<Pod> producer = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build();
                StateView<Pod> all = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .index("byNode", Pod::getNode)
                        .listener("thrower", change -> {
                            throw new IllegalStateException("a broken listener");
                        })
                        .listener("sleeper", change -> slowly(50), 100_000, OverflowPolicy.DROP_AND_RESET)
                        .listener("recorder", change -> {
                            counted.incrementAndGet();
                            versionsSeen
                                    .computeIfAbsent(change.key(), k -> new CopyOnWriteArrayList<>())
                                    .add(change.meta().version());
                        })
                        .build();
                StateView<Pod> node1 = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .filter(p -> "node-1".equals(p.getNode()))
                        .build()) {
            all.start();
            node1.start();
            all.awaitReady(Duration.ofSeconds(30));
            node1.awaitReady(Duration.ofSeconds(30));

            Receipt applied = producer.upsert("web-1", FakeMaterializer.pod("web-1", "node-1", PodPhase.PENDING))
                    .join();
            assertTrue(all.await(applied, Duration.ofSeconds(30)), "applied write awaited");
            assertEquals(PodPhase.PENDING, all.get("web-1").getPhase(), "read-your-writes");
            Receipt noop = producer.upsert("web-1", FakeMaterializer.pod("web-1", "node-1", PodPhase.PENDING))
                    .join();
            assertTrue(all.await(noop, Duration.ofSeconds(30)), "no-op write awaited through a progress mark");
            Receipt rejected = producer.upsert("web-1", FakeMaterializer.pod("web-1", "node-2", PodPhase.RUNNING), 7)
                    .join();
            assertTrue(all.await(rejected, Duration.ofSeconds(30)), "rejected write awaited through a progress mark");
            assertEquals("node-1", all.get("web-1").getNode());

            // Random churn, then the views must equal the table.
            Random r = new Random(3);
            Map<String, Pod> table = new HashMap<>();
            table.put("web-1", all.get("web-1"));
            Receipt last = null;
            for (int i = 0; i < 600; i++) {
                String key = "pod-" + r.nextInt(80);
                if (r.nextInt(5) == 0 && table.containsKey(key)) {
                    last = producer.delete(key).join();
                    table.remove(key);
                } else {
                    Pod p = FakeMaterializer.pod(key, "node-" + r.nextInt(4), PodPhase.values()[r.nextInt(3)]);
                    last = producer.upsert(key, p).join();
                    table.put(key, p);
                }
            }
            assertTrue(all.await(last, Duration.ofSeconds(60)));
            Conditions.waitFor(
                    "view = table", Duration.ofSeconds(30), () -> all.snapshot().equals(table));
            Map<String, Pod> expectedNode1 = new HashMap<>();
            table.forEach((k, v) -> {
                if ("node-1".equals(v.getNode())) {
                    expectedNode1.put(k, v);
                }
            });
            Conditions.waitFor(
                    "filtered view = table restricted to node-1",
                    Duration.ofSeconds(30),
                    () -> node1.snapshot().equals(expectedNode1));
            assertEquals(expectedNode1.keySet(), all.byIndex("byNode", "node-1").keySet(), "index by node");
            assertEquals(Set.of(), all.byIndex("byNode", "node-9").keySet());

            // Listeners: the recorder saw every change of a key in version order despite the thrower and the sleeper.
            Conditions.waitFor(
                    "recorder drained",
                    Duration.ofSeconds(30),
                    () -> all.stats().listeners().stream()
                            .filter(l -> l.name().endsWith("recorder"))
                            .allMatch(l -> l.queued() == 0));
            versionsSeen.forEach((key, versions) -> {
                for (int i = 1; i < versions.size(); i++) {
                    assertEquals(
                            versions.get(i - 1) + 1, (long) versions.get(i), "versions of " + key + ": " + versions);
                }
            });
            assertEquals(kafka.readToEnd(ns.state()).size(), counted.get(), "one recorder event per state record");
            ViewStats.ListenerStats thrower = all.stats().listeners().stream()
                    .filter(l -> l.name().endsWith("thrower"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(thrower.failures() > 0, "the thrower's exceptions are counted");
            assertNull(all.get("never"));
        }
    }

    // A slow listener's work (not a wait): it must only delay itself.
    private static void slowly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
