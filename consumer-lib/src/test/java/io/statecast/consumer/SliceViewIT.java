package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.SliceNotFoundException;
import io.statecast.common.StatecastHeaders;
import io.statecast.materializer.Materializer;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slice views against a real materializer: what they hold, what their listeners hear, what they await. */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SliceViewIT {
    private static final Duration AWAIT = Duration.ofSeconds(60);

    @Test
    void eachSliceViewEqualsTheTableRestrictedToItsValuesAfterRandomUpsertsDeletesMovesAndCompareAndSets(
            KafkaFixture kafka) {
        int slicePartitions = 4; // ten nodes on four partitions: values share partitions
        Namespace ns = SliceViews.provision(kafka, 3, slicePartitions);
        Map<Set<String>, StateView<Pod>> views = new LinkedHashMap<>();
        Map<Set<String>, Map<String, Pod>> heard = new HashMap<>();
        Map<Integer, Receipt> last = new HashMap<>();
        String shared = SliceViews.another("node-0", slicePartitions, true);
        List<Set<String>> selections = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            selections.add(Set.of("node-" + n));
        }
        selections.add(Set.of("node-1", "node-2", "node-3")); // several values, several partitions
        try (Materializer m = VerificationIT.materializer(kafka, ns, 1000);
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns)) {
            SliceViews.randomWrites(p, new Random(16), 300, 60, 10, last);
            for (Set<String> nodes : selections) {
                Map<String, Pod> model = new ConcurrentHashMap<>();
                heard.put(nodes, model);
                views.put(
                        nodes,
                        SliceViews.view(kafka, ns, nodes)
                                .index("byPhase", Pod::getPhase)
                                .listener("model", c -> SliceViews.apply(model, c))
                                .build()
                                .start());
            }
            SliceViews.randomWrites(p, new Random(17), 1700, 60, 10, last);
            // Two values that share a slice partition, written last so that both are surely present.
            SliceViews.track(
                    p.upsert("default/shared-a", SliceViews.pod("shared-a", "node-0", 0))
                            .join(),
                    last);
            SliceViews.track(
                    p.upsert("default/shared-b", SliceViews.pod("shared-b", shared, 0))
                            .join(),
                    last);
            try (StateView<Pod> sharing =
                    SliceViews.view(kafka, ns, Set.of(shared)).build().start()) {
                views.values().forEach(v -> assertTrue(SliceViews.awaitAll(v, last, AWAIT), "awaited"));
                assertTrue(SliceViews.awaitAll(sharing, last, AWAIT));
                Map<String, Pod> table = SliceViews.table(kafka, ns);
                views.forEach((nodes, v) -> {
                    assertEquals(SliceViews.restricted(table, nodes), v.snapshot(), "view of " + nodes);
                    assertEquals(
                            v.snapshot().entrySet().stream()
                                    .filter(e -> e.getValue().getPhase() == PodPhase.RUNNING)
                                    .map(Map.Entry::getKey)
                                    .collect(Collectors.toSet()),
                            v.byIndex("byPhase", PodPhase.RUNNING).keySet(),
                            "index of " + nodes);
                });
                assertEquals(Set.of("default/shared-b"), sharing.snapshot().keySet(), "only its own value");
                assertTrue(views.get(Set.of("node-0")).contains("default/shared-a"));
                assertNull(views.get(Set.of("node-0")).get("default/shared-b"), "a value sharing the partition");
                assertPendingPodsAreInNoView(table, views.values());
                m.requestChecksums();
                for (Map.Entry<Set<String>, StateView<Pod>> e : views.entrySet()) {
                    StateView<Pod> v = e.getValue();
                    Conditions.waitFor(
                            "listeners of " + e.getKey() + " heard the view",
                            AWAIT,
                            () -> heard.get(e.getKey()),
                            h -> h.equals(v.snapshot()));
                    Conditions.waitFor(
                            "checksums of every table of " + e.getKey() + " verified",
                            AWAIT,
                            () -> v.stats().checks().verified(),
                            n -> n >= 3L * v.status().partitions().size());
                    assertEquals(
                            0,
                            v.stats().checks().mismatched(),
                            "no mismatch: " + v.stats().checks());
                    assertEquals(0, v.stats().recordsSkipped());
                }
            } finally {
                views.values().forEach(StateView::close);
            }
        }
    }

    private static void assertPendingPodsAreInNoView(Map<String, Pod> table, java.util.Collection<StateView<Pod>> all) {
        Set<String> pending = table.entrySet().stream()
                .filter(e -> e.getValue().getNode() == null)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertTrue(pending.size() > 0, "some pods are pending (node null)");
        for (StateView<Pod> v : all) {
            pending.forEach(k -> assertNull(v.get(k), k + " has no node, so it is in no slice"));
        }
    }

    @Test
    void anEntityMovingInIsAnUpsertAndMovingOutADeleteCarryingTheOldValue(KafkaFixture kafka) {
        int slicePartitions = 8;
        Namespace ns = SliceViews.provision(kafka, 2, slicePartitions);
        String a = "node-a";
        String b = SliceViews.another(a, slicePartitions, false);
        Map<String, List<String>> events = new ConcurrentHashMap<>();
        Map<Integer, Receipt> last = new HashMap<>();
        try (Materializer m = VerificationIT.materializer(kafka, ns, 1000);
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns);
                StateView<Pod> viewA = recording(kafka, ns, a, events);
                StateView<Pod> viewB = recording(kafka, ns, b, events)) {
            viewA.start().awaitReady(AWAIT);
            viewB.start().awaitReady(AWAIT);
            String key = "default/web-1";
            SliceViews.track(p.upsert(key, SliceViews.pod("web-1", a, 0)).join(), last);
            SliceViews.track(p.upsert(key, SliceViews.pod("web-1", a, 1)).join(), last);
            Receipt move = SliceViews.track(
                    p.upsert(key, SliceViews.pod("web-1", b, 1)).join(), last);
            Receipt toNull = SliceViews.track(
                    p.upsert(key, SliceViews.pod("web-1", null, 1)).join(), last); // no slice
            SliceViews.track(p.upsert(key, SliceViews.pod("web-1", a, 2)).join(), last);
            Receipt deleted = SliceViews.track(p.delete(key).join(), last);
            assertTrue(SliceViews.awaitAll(viewA, last, AWAIT));
            assertTrue(SliceViews.awaitAll(viewB, last, AWAIT));
            List<String> expectedA = List.of(
                    "upsert null -> " + a + "/0",
                    "upsert " + a + "/0 -> " + a + "/1",
                    "delete " + a + "/1",
                    "upsert null -> " + a + "/2",
                    "delete " + a + "/2");
            List<String> expectedB = List.of("upsert null -> " + b + "/1", "delete " + b + "/1");
            Conditions.waitForEquals("events of the view of " + a, AWAIT, expectedA, () -> events.get(a));
            Conditions.waitForEquals("events of the view of " + b, AWAIT, expectedB, () -> events.get(b));
            List<ConsumerRecord<byte[], byte[]>> slice = kafka.readToEnd(ns.slice(SliceViews.SLICE));
            List<String> tombstones = slice.stream()
                    .filter(r -> r.value() == null)
                    .map(r -> r.partition() + ":" + StatecastHeaders.readString(r.headers(), StatecastHeaders.SLICE)
                            + "@" + StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1))
                    .toList();
            int qa = SliceViews.partitionOf(a, slicePartitions);
            int qb = SliceViews.partitionOf(b, slicePartitions);
            assertEquals(
                    new TreeSet<>(List.of(
                            qa + ":" + a + "@" + move.offset(),
                            qb + ":" + b + "@" + toNull.offset(),
                            qa + ":" + a + "@" + deleted.offset())),
                    new TreeSet<>(tombstones),
                    "a move, a null field and a delete: each a tombstone in the old value's partition");
            m.requestChecksums();
            Conditions.waitFor(
                    "both views verified",
                    AWAIT,
                    () -> viewA.stats().checks().verified() > 0
                            && viewB.stats().checks().verified() > 0);
            assertEquals(
                    0,
                    viewA.stats().checks().mismatched() + viewB.stats().checks().mismatched());
        }
    }

    private static StateView<Pod> recording(
            KafkaFixture kafka, Namespace ns, String node, Map<String, List<String>> events) {
        List<String> mine = events.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>());
        return SliceViews.view(kafka, ns, Set.of(node))
                .listener("events", c -> mine.add(describe(c)))
                .build();
    }

    private static String describe(io.statecast.consumer.Change<Pod> c) {
        return (c.newValue() == null ? "delete " : "upsert " + state(c.oldValue()) + " -> ")
                + state(c.newValue() == null ? c.oldValue() : c.newValue());
    }

    private static String state(Pod p) {
        return p == null ? "null" : p.getNode() + "/" + p.getRestartCount();
    }

    @Test
    void awaitOnASliceViewCoversAcceptedRejectedAndMovedAwayWritesAndWritesOfOtherValues(KafkaFixture kafka) {
        int slicePartitions = 8;
        Namespace ns = SliceViews.provision(kafka, 3, slicePartitions);
        String a = "node-a";
        String b = SliceViews.another(a, slicePartitions, false);
        try (Materializer m = VerificationIT.materializer(kafka, ns, 600_000); // only progress marks, no checksums
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns);
                StateView<Pod> view =
                        SliceViews.view(kafka, ns, Set.of(a)).build().start()) {
            view.awaitReady(AWAIT);
            Receipt accepted =
                    p.upsert("default/web-1", SliceViews.pod("web-1", a, 0)).join();
            assertTrue(view.await(accepted, AWAIT), "accepted write awaited");
            assertNotNull(view.get("default/web-1"), "read-your-writes: the write is in the view");
            Receipt rejected =
                    p.upsert("default/web-1", SliceViews.pod("web-1", a, 5), 7).join();
            assertTrue(view.await(rejected, AWAIT), "rejected write awaited through a progress mark");
            assertEquals(0, view.get("default/web-1").getRestartCount());
            Receipt elsewhere =
                    p.upsert("default/web-2", SliceViews.pod("web-2", b, 0)).join();
            assertTrue(view.await(elsewhere, AWAIT), "a write of another value's entity, in another partition");
            assertNull(view.get("default/web-2"));
            Receipt moved =
                    p.upsert("default/web-1", SliceViews.pod("web-1", b, 0)).join();
            assertTrue(view.await(moved, AWAIT), "moved-away write awaited");
            assertNull(view.get("default/web-1"), "read-your-writes: the entity left the view");
            assertEquals(0, view.size());
        }
    }

    @Test
    void aViewStartedLateFindsTheLastMarkOfAQuietSourcePartitionBehindTheMarksOfBusyOnes(KafkaFixture kafka) {
        int sources = 3;
        int slicePartitions = 4;
        Namespace ns = SliceViews.provision(kafka, sources, slicePartitions);
        String a = "node-a";
        String c = SliceViews.another(a, slicePartitions, false); // the view's second value, another partition
        List<Integer> viewed =
                List.of(SliceViews.partitionOf(a, slicePartitions), SliceViews.partitionOf(c, slicePartitions));
        String elsewhere = neither(viewed, slicePartitions);
        String marks = ns.sliceChecksums(SliceViews.SLICE);
        try (Materializer m = VerificationIT.materializer(kafka, ns, 600_000); // no checksum to fall back on
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns)) {
            String quiet = keyOf(0, sources, 0);
            p.upsert(quiet, SliceViews.pod("q", a, 0)).join();
            p.upsert(keyOf(0, sources, 1), SliceViews.pod("q2", c, 0)).join();
            Receipt rejected = p.upsert(quiet, SliceViews.pod("q", a, 1), 9).join(); // only progress marks
            Map<Integer, Long> quietMarks = new HashMap<>();
            for (int q : viewed) {
                Conditions.waitFor(
                        "the quiet source partition's progress mark of the rejected write in " + q,
                        AWAIT,
                        () -> coveredBy(kafka, marks, q, 0) >= rejected.offset());
                quietMarks.put(q, marksOf(kafka, marks, q, 0));
            }
            for (int i = 0; i < 2 * sources; i++) { // the busy source writes marks after it, one per second
                long before = marksOf(kafka, marks, viewed.get(0), 1) + marksOf(kafka, marks, viewed.get(1), 1);
                p.upsert(keyOf(1, sources, i), SliceViews.pod("b", elsewhere, 0))
                        .join(); // a record elsewhere
                Conditions.waitFor(
                        "more marks of the busy source in both",
                        AWAIT,
                        () -> marksOf(kafka, marks, viewed.get(0), 1) + marksOf(kafka, marks, viewed.get(1), 1)
                                >= before + 2);
            }
            viewed.forEach(q -> assertEquals(quietMarks.get(q), marksOf(kafka, marks, q, 0), "quiet in " + q));
            try (StateView<Pod> view =
                    SliceViews.view(kafka, ns, Set.of(a, c)).build().start()) {
                assertTrue(view.await(rejected, AWAIT), "the rejected write of the quiet source awaited");
                assertEquals(0, view.get(quiet).getRestartCount());
            }
        }
    }

    // A node whose slice partition is none of these.
    private static String neither(List<Integer> partitions, int slicePartitions) {
        for (int i = 0; ; i++) {
            if (!partitions.contains(SliceViews.partitionOf("node-e" + i, slicePartitions))) {
                return "node-e" + i;
            }
        }
    }

    // The nth key that the default partitioner puts in this source partition.
    private static String keyOf(int partition, int partitions, int nth) {
        for (int i = 0, found = 0; ; i++) {
            String k = "default/p" + partition + "-" + i;
            if (org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                                            k.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                                    % partitions
                            == partition
                    && found++ == nth) {
                return k;
            }
        }
    }

    // The highest srcOffset the source partition's marks in this slice partition cover.
    private static long coveredBy(KafkaFixture kafka, String topic, int partition, int source) {
        return kafka.readToEnd(topic).stream()
                .filter(r -> r.partition() == partition
                        && java.nio.ByteBuffer.wrap(r.key()).getInt() == source)
                .mapToLong(r -> srcOffsetOf(io.statecast.schemas.Envelopes.decodeSliceChecksumsValue(r.value())))
                .max()
                .orElse(-1);
    }

    private static long srcOffsetOf(Object mark) {
        return mark instanceof io.statecast.schemas.SliceProgress sp
                ? sp.getSrcOffset()
                : ((io.statecast.schemas.SliceChecksum) mark).getSrcOffset();
    }

    private static long marksOf(KafkaFixture kafka, String topic, int partition, int source) {
        return kafka.readToEnd(topic).stream()
                .filter(r -> r.partition() == partition
                        && java.nio.ByteBuffer.wrap(r.key()).getInt() == source)
                .count();
    }

    @Test
    void anUnknownSliceFailsStartWithATypedErrorNamingTheSlicesThatExist(KafkaFixture kafka) {
        Namespace ns = SliceViews.provision(kafka, 1, 2);
        try (StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .slice("by-zone", "eu-1")
                .build()) {
            SliceNotFoundException e = assertThrows(SliceNotFoundException.class, view::start);
            assertEquals(List.of(SliceViews.SLICE), e.existing());
            assertTrue(e.getMessage().contains("by-node"), e.getMessage());
        }
    }
}
