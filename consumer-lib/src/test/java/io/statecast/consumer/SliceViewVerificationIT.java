package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.materializer.Materializer;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A slice view's checksums against a real materializer: divergence found and healed, compaction tolerated. */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SliceViewVerificationIT {
    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final int SLICE_PARTITIONS = 8;

    @Test
    void aDivergenceInjectedIntoASliceViewIsDetectedAndHealedByReReadingOnlyThatSlicePartition(KafkaFixture kafka) {
        Namespace ns = SliceViews.provision(kafka, 3, SLICE_PARTITIONS);
        String a = "node-a";
        String b = SliceViews.another(a, SLICE_PARTITIONS, false);
        String neighbour = SliceViews.another(a, SLICE_PARTITIONS, true); // shares a's partition
        int qa = SliceViews.partitionOf(a, SLICE_PARTITIONS);
        int qb = SliceViews.partitionOf(b, SLICE_PARTITIONS);
        List<ResetEvent> resets = new CopyOnWriteArrayList<>();
        Map<Integer, Receipt> last = new HashMap<>();
        // A long interval: checksums come only when the test asks, so "the next checksum" is exact.
        try (Materializer m = VerificationIT.materializer(kafka, ns, 600_000);
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns)) {
            List<String> nodes = List.of(a, b, neighbour, "node-z");
            for (int i = 0; i < 240; i++) {
                String node = nodes.get(i % nodes.size());
                SliceViews.track(
                        p.upsert("default/pod-" + i, SliceViews.pod("pod-" + i, node, 0))
                                .join(),
                        last);
            }
            try (StateView<Pod> view = SliceViews.view(kafka, ns, Set.of(a, b))
                    .listener("resets", resetsInto(resets), 1000, OverflowPolicy.DROP_AND_RESET)
                    .build()
                    .start()) {
                SliceViews.assertAwaited(kafka, ns, view, last);
                Map<String, Pod> expected = SliceViews.restricted(SliceViews.table(kafka, ns), Set.of(a, b));
                assertEquals(120, expected.size());
                assertEquals(expected, view.snapshot());
                int tables = 3 * 2; // three source partitions feed each of the two slice partitions
                verifiedAgain(m, view, 0, tables);
                Map<String, Integer> cases = new java.util.LinkedHashMap<>();
                cases.put("DROP_ENTRY", qa); // pod-0 is on a
                cases.put("ALTER_VALUE", qb); // pod-1 is on b
                cases.put("ADD_FOREIGN_ENTRY", Math.min(qa, qb)); // the first slice partition's table of its key
                int round = 0;
                for (Map.Entry<String, Integer> c : cases.entrySet()) {
                    String key = c.getKey().equals("ADD_FOREIGN_ENTRY") ? "foreign-entry" : "default/pod-" + round;
                    int healed = c.getValue();
                    int untouched = healed == qa ? qb : qa;
                    long recordsOfHealed = kafka.readToEnd(ns.slice(SliceViews.SLICE)).stream()
                            .filter(r -> r.partition() == healed)
                            .count();
                    long untouchedBefore = records(view, untouched);
                    long healsBefore = view.stats().checks().heals();
                    int resetsBefore = resets.size();

                    ViewTestSeams.injectDivergence(view, c.getKey(), key);
                    m.requestChecksums(); // the next checksum must catch it

                    Conditions.waitFor(
                            c.getKey() + " detected",
                            AWAIT,
                            () -> view.stats().checks().heals() == healsBefore + 1);
                    Conditions.waitFor(
                            c.getKey() + " healed: view = table",
                            AWAIT,
                            () -> view.snapshot().equals(expected));
                    Conditions.waitFor("a reset event", AWAIT, () -> resets.size() == resetsBefore + 1);
                    assertEquals(Set.of(healed), resets.get(resetsBefore).partitions(), c.getKey());
                    assertEquals(
                            ResetEvent.Reason.CHECKSUM_MISMATCH,
                            resets.get(resetsBefore).reason());
                    assertEquals(
                            recordsOfHealed,
                            records(view, healed),
                            c.getKey() + ": the diverged slice partition was read again whole");
                    assertEquals(untouchedBefore, records(view, untouched), c.getKey() + ": the other one was not");
                    verifiedAgain(m, view, view.stats().checks().verified(), tables);
                    round++;
                }
                assertEquals(3, view.stats().checks().mismatched());
                assertEquals(List.of(), view.status().alarms());
            }
        }
    }

    private static ViewListener<Pod> resetsInto(List<ResetEvent> resets) {
        return new ViewListener<Pod>() {
            @Override
            public void onReset(ResetEvent reset) {
                resets.add(reset);
            }
        };
    }

    private static long records(StateView<Pod> view, int slicePartition) {
        return view.stats().partitions().stream()
                .filter(pp -> pp.partition() == slicePartition)
                .mapToLong(PartitionProgress::records)
                .sum();
    }

    private static void verifiedAgain(Materializer m, StateView<Pod> view, long before, int tables) {
        m.requestChecksums();
        Conditions.waitFor(
                "every table verified again", AWAIT, () -> view.stats().checks(), c -> c.verified() >= before + tables);
    }

    @Test
    void forcedCompactionOnTheSliceTopicRaisesNoFalseMismatch(KafkaFixture kafka) {
        int slicePartitions = 4;
        Namespace ns = SliceViews.provision(kafka, 2, slicePartitions);
        // Aggressive cleaning of the slice: small segments, dirty ratio 0.01, a 1 s compaction lag.
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, ns.slice(SliceViews.SLICE)),
                        List.of(
                                set("segment.ms", "200"),
                                set("min.cleanable.dirty.ratio", "0.01"),
                                set("min.compaction.lag.ms", "1000"),
                                set("delete.retention.ms", "1000"))))
                .all());
        List<Set<String>> selections = List.of(Set.of("node-0"), Set.of("node-1", "node-2"));
        List<StateView<Pod>> views = new ArrayList<>();
        Map<Integer, Receipt> last = new HashMap<>();
        Random random = new Random(7);
        try (Materializer m = VerificationIT.materializer(kafka, ns, 300);
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns)) {
            StateView<Pod> first =
                    SliceViews.view(kafka, ns, selections.get(0)).build().start();
            views.add(first);
            for (int round = 0; round < 6; round++) {
                SliceViews.randomWrites(p, random, 500, 150, 4, last);
                assertTrue(SliceViews.awaitAll(first, last, AWAIT), "round " + round);
                long read = first.stats().partitions().stream()
                        .mapToLong(PartitionProgress::records)
                        .sum();
                int q = SliceViews.partitionOf("node-0", slicePartitions);
                if (round > 0) { // earlier rounds are past the 1 s lag, in segments this round rolled
                    Conditions.waitFor(
                            "the cleaner dropped superseded slice records",
                            AWAIT,
                            () -> kafka.readToEnd(ns.slice(SliceViews.SLICE)).stream()
                                            .filter(r -> r.partition() == q)
                                            .count()
                                    < read);
                }
                // Late views bootstrap from a slice the cleaner has been compacting; some keep a tiny history.
                views.add(SliceViews.view(kafka, ns, selections.get(round % 2))
                        .verification(true, round % 3 == 0 ? 8 : 4096)
                        .build()
                        .start());
            }
            Map<String, Pod> table = SliceViews.table(kafka, ns);
            for (StateView<Pod> v : views) {
                assertTrue(SliceViews.awaitAll(v, last, AWAIT));
            }
            for (int i = 0; i < views.size(); i++) {
                StateView<Pod> v = views.get(i);
                Set<String> nodes = i == 0 ? selections.get(0) : selections.get((i - 1) % 2);
                assertEquals(SliceViews.restricted(table, nodes), v.snapshot(), "view " + i + " of " + nodes);
            }
            Map<StateView<Pod>, Long> judged = new HashMap<>();
            views.forEach(v -> judged.put(v, judged(v)));
            for (StateView<Pod> v : views) {
                Conditions.waitFor("a few more checksums judged", AWAIT, () -> judged(v) >= judged.get(v) + 6);
            }
            long verified = 0;
            for (StateView<Pod> v : views) {
                ViewStats.Checks c = v.stats().checks();
                assertEquals(0, c.mismatched(), "no false mismatch: " + c);
                assertEquals(List.of(), v.status().alarms());
                assertEquals(0, v.stats().recordsSkipped());
                verified += c.verified();
            }
            assertTrue(verified > 40, "verified: " + verified);
        } finally {
            views.forEach(StateView::close);
        }
    }

    private static long judged(StateView<Pod> v) {
        ViewStats.Checks c = v.stats().checks();
        return c.verified() + c.mismatched() + c.notComparable();
    }

    private static AlterConfigOp set(String k, String v) {
        return new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET);
    }
}
