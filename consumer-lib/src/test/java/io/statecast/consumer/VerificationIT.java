package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class VerificationIT {

    static Materializer materializer(KafkaFixture kafka, Namespace ns, long checksumIntervalMs) {
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, checksumIntervalMs);
        c.put(
                MaterializerConfig.STATE_DIR,
                Path.of(
                                System.getProperty("statecast.test.dir", System.getProperty("java.io.tmpdir")),
                                "verify-" + ns.name())
                        .toString());
        Materializer m = new Materializer(new MaterializerConfig(c)).start();
        Conditions.waitFor("RUNNING", Duration.ofSeconds(60), () -> m.state() == KafkaStreams.State.RUNNING);
        return m;
    }

    static Map<String, Pod> load(StatecastProducer<Pod> p, int keys, int nodes) {
        Map<String, Pod> table = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            Pod pod = FakeMaterializer.pod("pod-" + i, "node-" + (i % nodes), PodPhase.RUNNING);
            p.upsert("pod-" + i, pod);
            table.put("pod-" + i, pod);
        }
        p.flush();
        return table;
    }

    @Test
    void anInjectedDivergenceIsDetectedByTheNextChecksumAndHealedByReReadingThatPartitionOnly(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 3);
        List<ResetEvent> resets = new CopyOnWriteArrayList<>();
        // A long interval: checksums come only when the test asks, so "the next checksum" is exact.
        try (Materializer m = materializer(kafka, ns, 600_000);
                StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            Map<String, Pod> table = load(p, 300, 5);
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .listener(
                            "resets",
                            new ViewListener<Pod>() {
                                @Override
                                public void onReset(ResetEvent reset) {
                                    resets.add(reset);
                                }
                            },
                            1000,
                            OverflowPolicy.DROP_AND_RESET)
                    .build()) {
                view.start().awaitReady(Duration.ofSeconds(30));
                Conditions.waitFor(
                        "view = table",
                        Duration.ofSeconds(30),
                        () -> view.snapshot().equals(table));
                m.requestChecksums();
                Conditions.waitFor(
                        "every partition verified",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks().verified() >= 3);

                int round = 0;
                for (String kind : List.of("DROP_ENTRY", "ALTER_VALUE", "ADD_FOREIGN_ENTRY")) {
                    String key = kind.equals("ADD_FOREIGN_ENTRY") ? "foreign-entry" : "pod-" + (17 * ++round);
                    int partition = Utils.toPositive(Utils.murmur2(key.getBytes())) % 3;
                    long partitionRecords = kafka.readToEnd(ns.state()).stream()
                            .filter(r -> r.partition() == partition)
                            .count();
                    long appliedBefore = view.stats().recordsApplied();
                    long healsBefore = view.stats().checks().heals();
                    int resetsBefore = resets.size();

                    ViewTestSeams.injectDivergence(view, kind, key);
                    m.requestChecksums(); // the next checksum must catch it

                    Conditions.waitFor(
                            kind + " detected",
                            Duration.ofSeconds(30),
                            () -> view.stats().checks().heals() == healsBefore + 1);
                    Conditions.waitFor(
                            kind + " healed: view = table",
                            Duration.ofSeconds(30),
                            () -> view.snapshot().equals(table));
                    Conditions.waitFor(
                            "a reset event", Duration.ofSeconds(10), () -> resets.size() == resetsBefore + 1);
                    assertEquals(
                            Set.of(partition),
                            resets.get(resetsBefore).partitions(),
                            kind + ": only the diverged partition");
                    assertEquals(
                            ResetEvent.Reason.CHECKSUM_MISMATCH,
                            resets.get(resetsBefore).reason());
                    assertEquals(
                            appliedBefore + partitionRecords,
                            view.stats().recordsApplied(),
                            kind + ": exactly that partition's records were read again, no other");
                    long verified = view.stats().checks().verified();
                    m.requestChecksums();
                    Conditions.waitFor(
                            kind + ": verified again",
                            Duration.ofSeconds(30),
                            () -> view.stats().checks().verified() >= verified + 3);
                }
                assertEquals(3, view.stats().checks().mismatched());
                assertEquals(List.of(), view.status().alarms());
            }
        }
    }

    @Test
    void filteredAndTransformedViewsRestartedWarmStillVerifyEveryChecksum(KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (Materializer m = materializer(kafka, ns, 600_000);
                StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            Map<String, Pod> table = load(p, 400, 4);
            for (int round = 0; round < 2; round++) {
                // Round 0 bootstraps and saves a snapshot on close; round 1 restarts warm from it after pods
                // moved into and out of node-1, were deleted and created: the filtered-out hashes must follow.
                try (StateView<Pod> agent = StateView.builder(Pod.class)
                                .namespace(ns.name())
                                .kafka(kafka.clientConfig())
                                .filter(pod -> "node-1".equals(pod.getNode()))
                                .snapshots(dir.resolve("agent"), Duration.ofHours(1))
                                .build();
                        StateView<Pod> renamed = StateView.builder(Pod.class)
                                .namespace(ns.name())
                                .kafka(kafka.clientConfig())
                                .transform(pod ->
                                        Pod.newBuilder(pod).setPodIp("10.0.0.1").build())
                                .snapshots(dir.resolve("renamed"), Duration.ofHours(1))
                                .build()) {
                    agent.start().awaitReady(Duration.ofSeconds(30));
                    renamed.start().awaitReady(Duration.ofSeconds(30));
                    String expectedMode = round == 0 ? "full bootstrap" : "warm restart";
                    assertTrue(
                            agent.stats().startMode().startsWith(expectedMode),
                            agent.stats().startMode());
                    assertTrue(
                            renamed.stats().startMode().startsWith(expectedMode),
                            renamed.stats().startMode());
                    Map<String, Pod> node1 = new HashMap<>();
                    table.forEach((k, v) -> {
                        if (v.getNode().equals("node-1")) {
                            node1.put(k, v);
                        }
                    });
                    Conditions.waitFor(
                            "agent = node-1's pods",
                            Duration.ofSeconds(30),
                            () -> agent.snapshot().equals(node1));
                    Conditions.waitFor(
                            "transformed view holds every pod",
                            Duration.ofSeconds(30),
                            () -> renamed.size() == table.size());
                    assertEquals("10.0.0.1", String.valueOf(renamed.get("pod-3").getPodIp()));
                    m.requestChecksums();
                    Conditions.waitFor(
                            "both views verified against whole-partition checksums",
                            Duration.ofSeconds(30),
                            () -> agent.stats().checks().verified() >= 2
                                    && renamed.stats().checks().verified() >= 2);
                    assertEquals(
                            0,
                            agent.stats().checks().mismatched()
                                    + renamed.stats().checks().mismatched());
                    assertEquals(List.of(), agent.status().alarms());
                }
                if (round == 0) {
                    for (int i = 0; i < 400; i += 9) {
                        String key = "pod-" + i;
                        if (i % 2 == 0) {
                            Pod moved = FakeMaterializer.pod(key, "node-" + ((i / 9) % 4), PodPhase.SUCCEEDED);
                            p.upsert(key, moved);
                            table.put(key, moved);
                        } else {
                            p.delete(key);
                            table.remove(key);
                        }
                    }
                    Pod fresh = FakeMaterializer.pod("pod-new", "node-1", PodPhase.PENDING);
                    p.upsert("pod-new", fresh);
                    table.put("pod-new", fresh);
                    p.flush();
                }
            }
        }
    }

    @Test
    void aFilteredViewDetectsDivergenceInAnEntryItFilteredOut(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (Materializer m = materializer(kafka, ns, 600_000);
                StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            Map<String, Pod> table = load(p, 100, 4);
            Map<String, Pod> node1 = new HashMap<>();
            table.forEach((k, v) -> {
                if (v.getNode().equals("node-1")) {
                    node1.put(k, v);
                }
            });
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .filter(pod -> "node-1".equals(pod.getNode()))
                    .build()) {
                view.start().awaitReady(Duration.ofSeconds(30));
                Conditions.waitFor(
                        "filtered view",
                        Duration.ofSeconds(30),
                        () -> view.snapshot().equals(node1));
                m.requestChecksums();
                Conditions.waitFor(
                        "verified with filtered-out entries",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks().verified() >= 2);
                String filteredOut = "pod-2"; // on node-2
                ViewTestSeams.injectDivergence(view, "DROP_FILTERED_ENTRY", filteredOut);
                m.requestChecksums();
                Conditions.waitFor(
                        "divergence in a filtered-out entry detected",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks().heals() == 1);
                Conditions.waitFor(
                        "healed", Duration.ofSeconds(30), () -> view.snapshot().equals(node1));
                long verified = view.stats().checks().verified();
                m.requestChecksums();
                Conditions.waitFor(
                        "verified after healing",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks().verified() >= verified + 2);
            }
        }
    }

    @Test
    void aLongRunWithCompactionForcedOnStateRaisesNoFalseAlarm(KafkaFixture kafka) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner tp = new TopicProvisioner(kafka.clientConfig())) {
            tp.create(ns, TopicOptions.defaults().withPartitions(2).withChecksumInterval(Duration.ofMillis(100)));
        }
        // Aggressive cleaning of state: small segments, dirty ratio 0.01, a 1 s compaction lag.
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(Map.of(
                        new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, ns.state()),
                        List.of(
                                set("segment.ms", "200"),
                                set("min.cleanable.dirty.ratio", "0.01"),
                                set("min.compaction.lag.ms", "1000"),
                                set("delete.retention.ms", "1000"))))
                .all());
        Random r = new Random(5);
        Map<String, Pod> table = new HashMap<>();
        List<StateView<Pod>> views = new ArrayList<>();
        try (Materializer m = materializer(kafka, ns, 300);
                StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            views.add(StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .build()
                    .start());
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 500; i++) {
                    String key = "pod-" + r.nextInt(150);
                    if (r.nextInt(4) == 0 && table.containsKey(key)) {
                        p.delete(key);
                        table.remove(key);
                    } else {
                        Pod pod = FakeMaterializer.pod(key, "node-" + r.nextInt(3), PodPhase.values()[r.nextInt(3)]);
                        p.upsert(key, pod);
                        table.put(key, pod);
                    }
                }
                p.flush();
                StateView<Pod> first = views.get(0);
                Conditions.waitFor(
                        "the first view holds round " + round,
                        Duration.ofSeconds(60),
                        () -> first.snapshot().equals(table));
                if (round > 0) { // the earlier rounds' records are past the 1 s lag, in segments this round rolled
                    Conditions.waitFor(
                            "the cleaner dropped superseded state records",
                            Duration.ofSeconds(60),
                            () -> kafka.readToEnd(ns.state()).size()
                                    < first.stats().recordsApplied());
                }
                // Late views bootstrap from a log the cleaner has been compacting; one keeps a tiny history.
                views.add(StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .verification(true, round % 2 == 0 ? 8 : 4096)
                        .build()
                        .start());
            }
            for (StateView<Pod> v : views) {
                Conditions.waitFor(
                        "view = table",
                        Duration.ofSeconds(60),
                        () -> v.status().isReady() && v.snapshot().equals(table));
            }
            Map<StateView<Pod>, Long> judged = new HashMap<>();
            views.forEach(v -> judged.put(v, judgedChecksums(v)));
            for (StateView<Pod> v : views) {
                Conditions.waitFor(
                        "a few more checksums judged",
                        Duration.ofSeconds(30),
                        () -> judgedChecksums(v) >= judged.get(v) + 3);
            }
            long verified = 0;
            long notComparable = 0;
            for (StateView<Pod> v : views) {
                ViewStats.Checks c = v.stats().checks();
                assertEquals(0, c.mismatched(), "no false mismatch: " + c);
                assertEquals(List.of(), v.status().alarms());
                verified += c.verified();
                notComparable += c.notComparable();
            }
            assertTrue(verified > 20, "verified: " + verified);
            assertTrue(
                    notComparable > 0,
                    "points outside the window or compacted are counted as not comparable: " + notComparable);
            long stateRecords = kafka.readToEnd(ns.state()).size();
            assertTrue(
                    stateRecords < 3000,
                    "the cleaner compacted state (" + stateRecords + " records left of ~3000 writes)");
        } finally {
            views.forEach(StateView::close);
        }
    }

    @Test
    void startupSplaySpreadsTheStartsOfManyViews(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        List<StateView<Pod>> views = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                views.add(StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .startupSplay(Duration.ofSeconds(2), 100 + i)
                        .build()
                        .start());
            }
            Set<Long> delays = new HashSet<>();
            for (StateView<Pod> v : views) {
                v.awaitReady(Duration.ofSeconds(30));
                long ms = v.stats().splay().toMillis();
                assertTrue(ms >= 0 && ms < 2000, "splay within the bound: " + ms);
                delays.add(ms / 200); // which 200 ms slot of the 2 s window
            }
            assertTrue(delays.size() >= 5, "starts spread over the window: slots " + delays);
        } finally {
            views.forEach(StateView::close);
        }
    }

    private static org.apache.kafka.clients.admin.AlterConfigOp set(String k, String v) {
        return new org.apache.kafka.clients.admin.AlterConfigOp(
                new org.apache.kafka.clients.admin.ConfigEntry(k, v),
                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    }

    private static long judgedChecksums(StateView<Pod> v) {
        ViewStats.Checks c = v.stats().checks();
        return c.verified() + c.mismatched() + c.notComparable();
    }
}
