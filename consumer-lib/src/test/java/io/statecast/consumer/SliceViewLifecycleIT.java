package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.materializer.Materializer;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Pod;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A slice view over a slice's life: back-filled, restarted warm, and a schema evolution dropping its field. */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SliceViewLifecycleIT {
    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final int SLICE_PARTITIONS = 8;

    @Test
    void aSliceAddedToAPopulatedNamespaceIsBackFilledAndAViewOfItEqualsTheTableRestrictedToItsValue(
            KafkaFixture kafka) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner tp = new TopicProvisioner(kafka.clientConfig())) {
            tp.create(ns, TopicOptions.defaults().withPartitions(3));
        }
        Map<Integer, Receipt> last = new HashMap<>();
        try (Materializer m = VerificationIT.materializer(kafka, ns, 1000);
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns)) {
            SliceViews.randomWrites(p, new Random(3), 600, 300, 6, last);
            try (StateView<Pod> whole = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .build()
                    .start()) {
                assertTrue(SliceViews.awaitAll(whole, last, AWAIT), "the table holds the writes");
            }
            try (TopicProvisioner tp = new TopicProvisioner(kafka.clientConfig())) {
                tp.addSlice(ns, new SliceSpec(SliceViews.SLICE, "node", SLICE_PARTITIONS), Pod.getClassSchema());
            }
            Set<String> nodes = Set.of("node-2");
            try (StateView<Pod> view = SliceViews.view(kafka, ns, nodes).build().start()) {
                SliceViews.randomWrites(p, new Random(4), 200, 300, 6, last); // while the back-fill runs
                Conditions.waitFor(
                        "the view of node-2 = the table restricted to node-2",
                        AWAIT,
                        () -> SliceViews.restricted(SliceViews.table(kafka, ns), nodes)
                                .equals(view.snapshot()));
                assertTrue(view.size() > 20, "node-2's pods were back-filled: " + view.size());
                Conditions.waitFor(
                        "checksums after the back-fill verified",
                        AWAIT,
                        () -> view.stats().checks().verified() >= 3);
                assertEquals(
                        0,
                        view.stats().checks().mismatched(),
                        view.stats().checks().toString());
                assertEquals(0, view.stats().recordsSkipped());
            }
        }
    }

    @Test
    void aWarmRestartOfASliceViewReadsOnlyTheChangesOfItsPartition(KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = SliceViews.provision(kafka, 2, SLICE_PARTITIONS);
        String a = "node-a";
        String neighbour = SliceViews.another(a, SLICE_PARTITIONS, true);
        String b = SliceViews.another(a, SLICE_PARTITIONS, false);
        int qa = SliceViews.partitionOf(a, SLICE_PARTITIONS);
        Map<Integer, Receipt> last = new HashMap<>();
        try (Materializer m = VerificationIT.materializer(kafka, ns, 1000);
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns)) {
            List<String> nodes = List.of(a, neighbour, b);
            for (int i = 0; i < 150; i++) {
                SliceViews.track(
                        p.upsert("default/pod-" + i, SliceViews.pod("pod-" + i, nodes.get(i % 3), 0))
                                .join(),
                        last);
            }
            long before;
            try (StateView<Pod> first = warm(kafka, ns, a, dir)) {
                assertTrue(SliceViews.awaitAll(first, last, AWAIT));
                assertTrue(
                        first.stats().startMode().startsWith("full bootstrap"),
                        first.stats().startMode());
                before = recordsIn(kafka, ns, qa);
                Conditions.waitForEquals("the first view read all of " + qa, AWAIT, before, () -> read(first));
            } // close saves the snapshot
            for (int i = 0; i < 30; i++) { // 10 changes of a's pods, 10 of its neighbour's, 10 of b's
                SliceViews.track(
                        p.upsert("default/pod-" + i, SliceViews.pod("pod-" + i, nodes.get(i % 3), 1))
                                .join(),
                        last);
            }
            try (StateView<Pod> second = warm(kafka, ns, a, dir);
                    StateView<Pod> other = warm(kafka, ns, b, dir)) {
                assertTrue(SliceViews.awaitAll(second, last, AWAIT));
                assertTrue(
                        second.stats().startMode().startsWith("warm restart from snapshot (50 entries"),
                        second.stats().startMode());
                long changes = recordsIn(kafka, ns, qa) - before;
                assertEquals(20, changes, "a's and its neighbour's changes went to a's partition");
                assertEquals(changes, read(second), "only the changes of its partition were read");
                assertEquals(10, second.stats().recordsApplied(), "of which a's own");
                assertEquals(List.of(qa), partitionsRead(second));
                assertEquals(SliceViews.restricted(SliceViews.table(kafka, ns), Set.of(a)), second.snapshot());
                assertTrue(SliceViews.awaitAll(other, last, AWAIT));
                assertTrue(
                        other.stats().startMode().startsWith("full bootstrap: no snapshot"),
                        "another value's view never loads a's snapshot: "
                                + other.stats().startMode());
                assertEquals(SliceViews.restricted(SliceViews.table(kafka, ns), Set.of(b)), other.snapshot());
                m.requestChecksums();
                Conditions.waitFor(
                        "verified after the warm restart",
                        AWAIT,
                        () -> second.stats().checks().verified() >= 2);
                assertEquals(0, second.stats().checks().mismatched());
            }
        }
    }

    private static StateView<Pod> warm(KafkaFixture kafka, Namespace ns, String node, Path dir) {
        return SliceViews.view(kafka, ns, Set.of(node))
                .snapshots(dir, Duration.ofHours(1))
                .build()
                .start();
    }

    private static long recordsIn(KafkaFixture kafka, Namespace ns, int partition) {
        return kafka.readToEnd(ns.slice(SliceViews.SLICE)).stream()
                .filter(r -> r.partition() == partition)
                .count();
    }

    private static long read(StateView<Pod> v) {
        return v.stats().partitions().stream()
                .mapToLong(PartitionProgress::records)
                .sum();
    }

    private static List<Integer> partitionsRead(StateView<Pod> v) {
        return v.stats().partitions().stream().map(PartitionProgress::partition).toList();
    }

    @Test
    void aSchemaEvolutionThatDropsTheSliceFieldTakesThoseEntitiesOutOfTheViewWithADelete(KafkaFixture kafka) {
        Namespace ns = SliceViews.provision(kafka, 2, SLICE_PARTITIONS);
        Schema v2 = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"io.statecast.schemas.demo\","
                        + "\"fields\":[{\"name\":\"namespace\",\"type\":\"string\"},"
                        + "{\"name\":\"name\",\"type\":\"string\"}]}");
        GenericRecord dropped = new GenericData.Record(v2);
        dropped.put("namespace", "default");
        dropped.put("name", "web-1");
        List<String> events = new CopyOnWriteArrayList<>();
        Map<Integer, Receipt> last = new HashMap<>();
        try (Materializer m = VerificationIT.materializer(kafka, ns, 1000);
                StatecastProducer<Pod> p = SliceViews.producer(kafka, ns);
                StatecastProducer<GenericRecord> p2 = StatecastProducer.builder(v2)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build();
                StateView<Pod> view = SliceViews.view(kafka, ns, Set.of("node-1"))
                        .listener("events", c -> events.add(c.key() + " " + describe(c)))
                        .build()
                        .start()) {
            SliceViews.track(
                    p.upsert("default/web-1", SliceViews.pod("web-1", "node-1", 0))
                            .join(),
                    last);
            SliceViews.track(
                    p.upsert("default/web-2", SliceViews.pod("web-2", "node-1", 0))
                            .join(),
                    last);
            SliceViews.track(p2.upsert("default/web-1", dropped).join(), last);
            assertTrue(SliceViews.awaitAll(view, last, AWAIT));
            assertEquals(Set.of("default/web-2"), view.snapshot().keySet());
            // Per key in order (keys of different source partitions are told in the order their tables apply).
            Conditions.waitForEquals(
                    "web-1 left with a delete carrying its old value",
                    AWAIT,
                    List.of("default/web-1 upsert node-1", "default/web-1 delete node-1"),
                    () -> events.stream()
                            .filter(e -> e.startsWith("default/web-1 "))
                            .toList());
            assertEquals(
                    List.of("default/web-2 upsert node-1"),
                    events.stream().filter(e -> e.startsWith("default/web-2 ")).toList());
            Conditions.waitFor("verified", AWAIT, () -> view.stats().checks().verified() >= 2);
            assertEquals(0, view.stats().checks().mismatched());
            assertEquals(0, view.stats().recordsSkipped(), "nothing undecodable reached the view");
        }
    }

    private static String describe(io.statecast.consumer.Change<Pod> c) {
        return c.newValue() == null
                ? "delete " + c.oldValue().getNode()
                : "upsert " + c.newValue().getNode();
    }
}
