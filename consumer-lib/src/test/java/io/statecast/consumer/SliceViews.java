package io.statecast.consumer;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.SlicePartitioner;
import io.statecast.producer.Change;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.KafkaFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the slice view tests share: a namespace with a {@code by-node} slice, random writes, and the
 * oracle — the table read from {@code <ns>.state} (the last record of each key, decoded), restricted to
 * the pods whose node is one of a view's values.
 */
final class SliceViews {
    static final String SLICE = "by-node";

    private SliceViews() {}

    static Namespace provision(KafkaFixture kafka, int sources, int slicePartitions) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(sources));
            p.addSlice(ns, new SliceSpec(SLICE, "node", slicePartitions), Pod.getClassSchema());
        }
        return ns;
    }

    static StatecastProducer<Pod> producer(KafkaFixture kafka, Namespace ns) {
        return StatecastProducer.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build();
    }

    static StateView.Builder<Pod> view(KafkaFixture kafka, Namespace ns, Set<String> nodes) {
        return StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .slice(SLICE, nodes);
    }

    static Pod pod(String name, String node, int restarts) {
        return Pod.newBuilder(FakeMaterializer.pod(name, node, node == null ? PodPhase.PENDING : PodPhase.RUNNING))
                .setRestartCount(restarts)
                .build();
    }

    /**
     * {@code n} random writes on {@code keys} keys: upserts onto one of {@code nodes} nodes or none
     * (pending: in no slice), moves, deletes and compare-and-sets (some rejected). Returns the last
     * receipt of each partition, merged into {@code last}.
     */
    static Map<Integer, Receipt> randomWrites(
            StatecastProducer<Pod> p, Random random, int n, int keys, int nodes, Map<Integer, Receipt> last) {
        List<CompletableFuture<Receipt>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "default/web-" + random.nextInt(keys);
            int op = random.nextInt(10);
            String node = random.nextInt(8) == 0 ? null : "node-" + random.nextInt(nodes);
            Pod pod = pod(key, node, random.nextInt(3));
            sent.add(p.send(
                    op < 2
                            ? Change.delete(key)
                            : op < 4 ? Change.upsert(key, pod, 1 + random.nextInt(3)) : Change.upsert(key, pod)));
        }
        sent.forEach(f -> track(f.join(), last));
        return last;
    }

    static Receipt track(Receipt r, Map<Integer, Receipt> last) {
        last.merge(r.partition(), r, (a, b) -> a.offset() >= b.offset() ? a : b);
        return r;
    }

    /** Whether the view reflects every write up to the last receipts, each awaited in turn. */
    static boolean awaitAll(StateView<Pod> view, Map<Integer, Receipt> last, Duration each) {
        return last.values().stream().allMatch(r -> view.await(r, each));
    }

    /**
     * Awaits every receipt; a failure names the receipt and what the slice and its marks hold about its
     * source partition in each partition the view reads (the last record, the last marks), to tell a
     * missing mark from one the view did not use.
     */
    static void assertAwaited(KafkaFixture kafka, Namespace ns, StateView<Pod> view, Map<Integer, Receipt> last) {
        for (Receipt r : last.values()) {
            if (!view.await(r, Duration.ofSeconds(60))) {
                throw new AssertionError(
                        "not awaited: " + r + "; view " + view.stats() + "; " + logOf(kafka, ns, view, r));
            }
        }
    }

    private static String logOf(KafkaFixture kafka, Namespace ns, StateView<Pod> view, Receipt r) {
        StringBuilder b = new StringBuilder();
        List<ConsumerRecord<byte[], byte[]>> slice = kafka.readToEnd(ns.slice(SLICE));
        List<ConsumerRecord<byte[], byte[]>> marks = kafka.readToEnd(ns.sliceChecksums(SLICE));
        for (PartitionProgress pp : view.stats().partitions()) {
            int q = pp.partition();
            long lastRecord = slice.stream()
                    .filter(x -> x.partition() == q && srcPartition(x) == r.partition())
                    .mapToLong(x -> io.statecast.common.StatecastHeaders.readLong(
                            x.headers(), io.statecast.common.StatecastHeaders.SRC_OFFSET, -1))
                    .max()
                    .orElse(-1);
            List<String> lastMarks = marks.stream()
                    .filter(x -> x.partition() == q && ByteBuffer.wrap(x.key()).getInt() == r.partition())
                    .map(x -> x.offset() + ":" + Envelopes.decodeSliceChecksumsValue(x.value()) + " sliceSrc="
                            + io.statecast.common.StatecastHeaders.readLong(
                                    x.headers(), io.statecast.common.StatecastHeaders.SLICE_SRC_OFFSET, -9))
                    .toList();
            b.append("slice partition ")
                    .append(q)
                    .append(": last record of source ")
                    .append(r.partition())
                    .append(" at srcOffset ")
                    .append(lastRecord)
                    .append(", its last marks ")
                    .append(lastMarks.subList(Math.max(0, lastMarks.size() - 3), lastMarks.size()))
                    .append(" (of ")
                    .append(marks.stream().filter(x -> x.partition() == q).count())
                    .append(" marks); ");
        }
        return b.toString();
    }

    private static long srcPartition(ConsumerRecord<byte[], byte[]> r) {
        return io.statecast.common.StatecastHeaders.readLong(
                r.headers(), io.statecast.common.StatecastHeaders.SRC_PARTITION, -1);
    }

    /** The table as {@code <ns>.state} holds it now: key → pod. */
    static Map<String, Pod> table(KafkaFixture kafka, Namespace ns) {
        Map<String, Pod> out = new TreeMap<>();
        try (SchemaTopic schemas = SchemaTopic.open(kafka.clientConfig(), ns)) {
            AvroCodec<Pod> pods = AvroCodec.specific(Pod.class, SchemaResolver.withTopic(schemas));
            for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.state())) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (r.value() == null) {
                    out.remove(key);
                } else {
                    out.put(
                            key,
                            pods.decode(bytes(
                                    Envelopes.stateRecord().decode(r.value()).getPayload())));
                }
            }
        }
        return out;
    }

    /** The table restricted to the pods on these nodes. */
    static Map<String, Pod> restricted(Map<String, Pod> table, Set<String> nodes) {
        Map<String, Pod> out = new HashMap<>();
        table.forEach((k, v) -> {
            if (v.getNode() != null && nodes.contains(v.getNode())) {
                out.put(k, v);
            }
        });
        return out;
    }

    static int partitionOf(String node, int slicePartitions) {
        return SlicePartitioner.partitionOf(node, slicePartitions);
    }

    /** A node name, other than {@code a}, whose slice partition is (or is not) {@code a}'s. */
    static String another(String a, int slicePartitions, boolean samePartition) {
        for (int i = 0; ; i++) {
            String b = "node-x" + i;
            boolean same = partitionOf(b, slicePartitions) == partitionOf(a, slicePartitions);
            if (same == samePartition) {
                return b;
            }
        }
    }

    /** Applies listener events to a map, as a user's cache would. */
    static void apply(Map<String, Pod> model, io.statecast.consumer.Change<Pod> c) {
        if (c.newValue() == null) {
            model.remove(c.key());
        } else {
            model.put(c.key(), c.newValue());
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
