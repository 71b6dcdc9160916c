package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.SlicePartitioner;
import io.statecast.common.StatecastHeaders;
import io.statecast.producer.Change;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceDefinition;
import io.statecast.schemas.SliceDefinitions;
import io.statecast.schemas.SliceProgress;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the slice ITs assert, on top of {@link SliceFixture}'s oracle. */
final class SliceAssertions {
    private SliceAssertions() {}

    static StatecastProducer<Pod> producer(KafkaFixture kafka, Namespace ns) {
        return StatecastProducer.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build();
    }

    /** Upserts onto 10 nodes or none (pending), deletes, and compare-and-sets, on {@code keys} keys. */
    static void randomOperations(StatecastProducer<Pod> p, Random random, int n, int keys, Map<Integer, Long> last) {
        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "web-" + random.nextInt(keys);
            int op = random.nextInt(10);
            String node = random.nextInt(8) == 0 ? null : "node-" + random.nextInt(10);
            Pod pod = SliceFixture.pod(name, node, random.nextInt(3));
            Change<Pod> change = op < 2
                    ? Change.delete("default/" + name)
                    : op < 4
                            ? Change.upsert("default/" + name, pod, random.nextInt(4))
                            : Change.upsert("default/" + name, pod);
            receipts.add(p.send(change));
        }
        receipts.forEach(r -> {
            Receipt receipt = r.join();
            synchronized (last) {
                last.merge(receipt.partition(), receipt.offset(), Math::max);
            }
        });
    }

    static SliceDefinition definition(KafkaFixture kafka, Namespace ns, String slice) {
        return SliceDefinitions.read(kafka.clientConfig(), ns, Duration.ofSeconds(30))
                .get(slice);
    }

    /**
     * Once the slice's checksums cover the last change of every partition (so the materializer processed
     * them all), waits until the slice equals the state projected by its field: the commit markers of the
     * last transaction may still be on their way to some partitions.
     */
    static void awaitSliceEqualsProjection(
            KafkaFixture kafka, Namespace ns, String slice, Runnable requestChecksums, Map<Integer, Long> last) {
        awaitChecksumsCovering(kafka, ns, slice, requestChecksums, last);
        SliceDefinition d = definition(kafka, ns, slice);
        try (SchemaTopic schemas = SchemaTopic.open(kafka.clientConfig(), ns)) {
            SchemaResolver resolver = SchemaResolver.withTopic(schemas);
            Conditions.waitFor(
                    "slice " + slice + " to equal the table projected by " + d.getField(),
                    Duration.ofSeconds(120),
                    () -> diff(
                            SliceFixture.projection(
                                    kafka.readToEnd(ns.state()), d.getField(), d.getPartitions(), resolver),
                            SliceFixture.contents(kafka.readToEnd(ns.slice(slice)))),
                    String::isEmpty);
        }
    }

    /** Notes a receipt in the last offset per partition. */
    static Receipt track(Receipt r, Map<Integer, Long> last) {
        last.merge(r.partition(), r.offset(), Math::max);
        return r;
    }

    static String diff(
            Map<Integer, Map<String, SliceFixture.Entry>> expected,
            Map<Integer, Map<String, SliceFixture.Entry>> actual) {
        if (expected.equals(actual)) {
            return "";
        }
        List<String> out = new ArrayList<>();
        Set<Integer> partitions = new TreeSet<>(expected.keySet());
        partitions.addAll(actual.keySet());
        for (int q : partitions) {
            Map<String, SliceFixture.Entry> e = expected.getOrDefault(q, Map.of());
            Map<String, SliceFixture.Entry> a = actual.getOrDefault(q, Map.of());
            Set<String> keys = new TreeSet<>(e.keySet());
            keys.addAll(a.keySet());
            for (String k : keys) {
                if (!Objects.equals(e.get(k), a.get(k))) {
                    out.add("p" + q + " " + k + ": expected " + describe(e.get(k)) + ", slice has "
                            + describe(a.get(k)));
                }
            }
        }
        return out.size() + " differences, e.g. " + out.subList(0, Math.min(5, out.size()));
    }

    private static String describe(SliceFixture.Entry e) {
        return e == null
                ? "nothing"
                : e.slice() + "/src " + e.srcPartition() + "/" + e.value().get().length + " B";
    }

    /** A slice checksum from every source partition for every slice partition, covering its last change. */
    static void awaitChecksumsCovering(
            KafkaFixture kafka, Namespace ns, String slice, Runnable requestChecksums, Map<Integer, Long> last) {
        int partitions = definition(kafka, ns, slice).getPartitions();
        Conditions.waitFor(
                "checksums of slice " + slice + " covering the last change of every partition",
                Duration.ofSeconds(90),
                () -> {
                    requestChecksums.run();
                    Map<String, Long> covered = new HashMap<>();
                    for (SliceFixture.Mark k : SliceFixture.marks(kafka, ns, slice)) {
                        if (k.value() instanceof SliceChecksum c) {
                            covered.merge(c.getPartition() + "/" + c.getSrcPartition(), c.getSrcOffset(), Math::max);
                        }
                    }
                    for (int q = 0; q < partitions; q++) {
                        for (Map.Entry<Integer, Long> e : last.entrySet()) {
                            if (covered.getOrDefault(q + "/" + e.getKey(), -1L) < e.getValue()) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
    }

    /** Every slice checksum equals the digests recomputed from the slice log; every mark names its last record. */
    static void assertChecksumsEqualTheSliceLog(KafkaFixture kafka, Namespace ns, String slice, int sources) {
        List<ConsumerRecord<byte[], byte[]>> log = kafka.readToEnd(ns.slice(slice));
        int checked = 0;
        for (SliceFixture.Mark k : SliceFixture.marks(kafka, ns, slice)) {
            int q = k.record().partition();
            if (k.value() instanceof SliceChecksum c) {
                assertEquals(q, c.getPartition());
                assertEquals(
                        SliceFixture.digests(log, q, c.getSrcPartition(), c.getSrcOffset()),
                        SliceFixture.digests(c),
                        "checksum of p" + q + " from source " + c.getSrcPartition() + " at " + c.getSrcOffset());
                checked++;
            }
            if (k.value() instanceof SliceProgress sp && !sp.getBackfilled()) {
                continue; // during a back-fill, records of one srcOffset follow marks of it: no point to check
            }
            long expected = log.stream()
                    .filter(r -> r.partition() == q && SliceFixture.srcPartition(r) == k.srcPartition())
                    .mapToLong(SliceFixture::srcOffset)
                    .filter(o -> o <= k.srcOffset())
                    .max()
                    .orElse(-1);
            assertEquals(
                    expected,
                    StatecastHeaders.readLong(k.record().headers(), StatecastHeaders.SLICE_SRC_OFFSET, Long.MIN_VALUE),
                    "sc.sliceSrcOffset of a mark of p" + q + " from source " + k.srcPartition() + " at "
                            + k.srcOffset());
        }
        int partitions = definition(kafka, ns, slice).getPartitions();
        assertTrue(checked >= sources * partitions, "checksums compared: " + checked);
    }

    static ConsumerRecord<byte[], byte[]> tombstone(List<ConsumerRecord<byte[], byte[]>> slice, String key) {
        return slice.stream()
                .filter(r -> r.value() == null && new String(r.key(), StandardCharsets.UTF_8).equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tombstone for " + key));
    }

    static String valueInAnotherPartition(String a, int partitions) {
        for (int i = 0; ; i++) {
            String b = "node-b" + i;
            if (SlicePartitioner.partitionOf(b, partitions) != SlicePartitioner.partitionOf(a, partitions)) {
                return b;
            }
        }
    }
}
