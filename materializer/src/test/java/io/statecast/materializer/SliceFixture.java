package io.statecast.materializer;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.Namespace;
import io.statecast.common.SlicePartitioner;
import io.statecast.common.StatecastHeaders;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceField;
import io.statecast.schemas.SliceProgress;
import io.statecast.schemas.SliceValueDigest;
import io.statecast.schemas.SliceValueReader;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * Test oracle for slices, independent of the materializer's code: the projection of the state log by
 * the slice's field, the contents of the slice log, and the per-value digests recomputed from it.
 */
final class SliceFixture {
    private SliceFixture() {}

    /** A live slice entry as the test compares it. */
    record Entry(String slice, Bytes value, int srcPartition) {}

    static Namespace provision(KafkaFixture kafka, int partitions, SliceSpec... slices) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(partitions));
            for (SliceSpec s : slices) {
                p.addSlice(ns, s, Pod.getClassSchema());
            }
        }
        return ns;
    }

    static Pod pod(String name, String node, int restarts) {
        return Pod.newBuilder()
                .setNamespace("default")
                .setName(name)
                .setUid("uid-" + name)
                .setNode(node)
                .setPhase(node == null ? PodPhase.PENDING : PodPhase.RUNNING)
                .setLabels(Map.of("app", "app-" + restarts)) // a restart count change moves it between by-app slices
                .setContainers(List.of())
                .setRestartCount(restarts)
                .setCreatedAt(Instant.ofEpochMilli(1_000))
                .build();
    }

    /** The table (last state record per key) projected by {@code field}: slice partition → key → entry. */
    static Map<Integer, Map<String, Entry>> projection(
            List<ConsumerRecord<byte[], byte[]>> state, String field, int partitions, SchemaResolver resolver) {
        Map<String, ConsumerRecord<byte[], byte[]>> table = new LinkedHashMap<>();
        state.forEach(r -> table.put(new String(r.key(), StandardCharsets.UTF_8), r));
        SliceValueReader reader = new SliceValueReader(SliceField.parse(field), resolver);
        Map<Integer, Map<String, Entry>> out = new TreeMap<>();
        table.forEach((k, r) -> {
            if (r.value() != null) {
                String v = reader.readStateRecord(r.value());
                if (v != null) {
                    out.computeIfAbsent(SlicePartitioner.partitionOf(v, partitions), q -> new TreeMap<>())
                            .put(k, new Entry(v, Bytes.wrap(r.value()), r.partition()));
                }
            }
        });
        return out;
    }

    /** The live entries of the slice log (last record per key and partition, tombstones removing). */
    static Map<Integer, Map<String, Entry>> contents(List<ConsumerRecord<byte[], byte[]>> slice) {
        Map<Integer, Map<String, Entry>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : slice) {
            Map<String, Entry> part = out.computeIfAbsent(r.partition(), q -> new TreeMap<>());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                part.remove(key);
            } else {
                part.put(key, new Entry(sliceOf(r), Bytes.wrap(r.value()), srcPartition(r)));
            }
        }
        out.values().removeIf(Map::isEmpty);
        return out;
    }

    static String sliceOf(ConsumerRecord<byte[], byte[]> r) {
        return StatecastHeaders.readString(r.headers(), StatecastHeaders.SLICE);
    }

    static int srcPartition(ConsumerRecord<byte[], byte[]> r) {
        return (int) StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_PARTITION, -1);
    }

    static long srcOffset(ConsumerRecord<byte[], byte[]> r) {
        return StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
    }

    /** Per slice value, the digest of what source partition p put in slice partition q up to srcOffset o. */
    static Map<String, DigestValue> digests(List<ConsumerRecord<byte[], byte[]>> slice, int q, int p, long o) {
        Map<String, Entry> live = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : slice) {
            if (r.partition() == q && srcPartition(r) == p && srcOffset(r) <= o) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (r.value() == null) {
                    live.remove(key);
                } else {
                    live.put(key, new Entry(sliceOf(r), Bytes.wrap(r.value()), p));
                }
            }
        }
        Map<String, Digest> d = new TreeMap<>();
        live.forEach((k, e) -> d.computeIfAbsent(e.slice(), v -> new Digest())
                .add(k.getBytes(StandardCharsets.UTF_8), e.value().get()));
        Map<String, DigestValue> out = new TreeMap<>();
        d.forEach((v, digest) -> out.put(v, digest.value()));
        return out;
    }

    /** A checksum's values as the same map. */
    static Map<String, DigestValue> digests(SliceChecksum c) {
        Map<String, DigestValue> out = new TreeMap<>();
        for (SliceValueDigest v : c.getValues()) {
            out.put(
                    v.getValue(),
                    new DigestValue(
                            v.getCount(), v.getLanes().get(0), v.getLanes().get(1)));
        }
        return out;
    }

    /** Every mark of the slice's checksums topic with its record. */
    record Mark(ConsumerRecord<byte[], byte[]> record, Object value) {
        int srcPartition() {
            return value instanceof SliceChecksum c ? c.getSrcPartition() : ((SliceProgress) value).getSrcPartition();
        }

        long srcOffset() {
            return value instanceof SliceChecksum c ? c.getSrcOffset() : ((SliceProgress) value).getSrcOffset();
        }
    }

    static List<Mark> marks(KafkaFixture kafka, Namespace ns, String slice) {
        List<Mark> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.sliceChecksums(slice))) {
            out.add(new Mark(r, Envelopes.decodeSliceChecksumsValue(r.value())));
        }
        return out;
    }
}
