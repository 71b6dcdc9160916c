package io.statecast.audit;

import io.statecast.common.Digest;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastHeaders;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import io.statecast.schemas.StateRecord;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;

/**
 * A scripted stand-in for the materializer: writes {@code state}, {@code history}, {@code checksums} and
 * {@code rejections} records exactly as docs/protocol.md defines them, with record timestamps one second
 * apart from a fixed start, so tests know the exact table at every time and offset.
 */
final class FakeMaterializer {
    static final AvroCodec<Node> NODES = AvroCodec.specific(Node.class, SchemaResolver.builtIn());

    final Namespace ns;
    final Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private final KafkaFixture kafka;
    private final int partitions;
    private boolean history;
    private final Map<String, Long> versions = new HashMap<>();
    private final long[] srcOffsets;
    private final List<Map<Bytes, byte[]>> tables = new ArrayList<>();
    private final Map<String, List<ProducerRecord<byte[], byte[]>>> pending = new HashMap<>();
    private int step;

    FakeMaterializer(KafkaFixture kafka, int partitions, boolean history) {
        this.kafka = kafka;
        this.partitions = partitions;
        this.history = history;
        this.ns = Namespace.of(kafka.newNamespace());
        this.srcOffsets = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            tables.add(new HashMap<>());
        }
        // The scripted timeline needs the timestamps it writes: state is made as an earlier release made it
        // (CreateTime; topics create makes LogAppendTime, the broker's clock), and topics create accepts it.
        kafka.createTopic(
                ns.state(),
                partitions,
                Map.of(
                        "cleanup.policy",
                        "compact",
                        "min.compaction.lag.ms",
                        "100000",
                        "message.timestamp.type",
                        "CreateTime"));
        try (TopicProvisioner t = new TopicProvisioner(kafka.clientConfig())) {
            t.create(ns, TopicOptions.defaults().withPartitions(partitions).withHistory(history));
        }
        try (SchemaTopic schemas = SchemaTopic.open(kafka.clientConfig(), ns)) {
            schemas.register(Node.getClassSchema());
        }
    }

    /** Turns the history topic on from now (it misses everything before). */
    FakeMaterializer enableHistoryLate() {
        kafka.createTopic(ns.history(), partitions, Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
        history = true;
        return this;
    }

    static Node node(String name, int cpu) {
        return Node.newBuilder()
                .setName(name)
                .setZone("z")
                .setCpuMillis(cpu)
                .setMemoryBytes(1L << 30)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    int partition(String key) {
        return key.charAt(0) % partitions;
    }

    /** The time of the i-th scripted step (steps are one second apart, the first is step 1). */
    Instant time(int i) {
        return start.plusSeconds(i);
    }

    /** The srcOffset the next change of {@code key}'s partition takes. */
    long nextSrcOffset(String key) {
        return srcOffsets[partition(key)];
    }

    FakeMaterializer upsert(String key, int cpu) {
        return write(key, NODES.encode(node(key, cpu)));
    }

    FakeMaterializer delete(String key) {
        return write(key, null);
    }

    /** A change of {@code key} that the materializer rejects: it takes a srcOffset and writes a rejection. */
    FakeMaterializer reject(String key) {
        int p = partition(key);
        Instant t = time(++step);
        Rejection r = Rejection.newBuilder()
                .setReason(RejectionReason.VERSION_CONFLICT)
                .setMessage("expected version 9")
                .setTopic(ns.changes())
                .setPartition(p)
                .setOffset(srcOffsets[p]++)
                .setRawKey(ByteBuffer.wrap(bytes(key)))
                .setRawValue(ByteBuffer.wrap(new byte[] {1, 2}))
                .setRejectedAt(t)
                .build();
        add(new ProducerRecord<>(
                ns.rejections(),
                p,
                t.toEpochMilli(),
                bytes(key),
                Envelopes.rejection().encode(r)));
        return this;
    }

    private FakeMaterializer write(String key, byte[] payload) {
        int p = partition(key);
        long src = srcOffsets[p]++;
        long version = versions.merge(key, 1L, Long::sum);
        Instant t = time(++step);
        byte[] value = payload == null
                ? null
                : Envelopes.stateRecord()
                        .encode(StateRecord.newBuilder()
                                .setPayload(ByteBuffer.wrap(payload))
                                .setVersion(version)
                                .setUpdatedAt(t)
                                .setOriginPartition(p)
                                .setOriginOffset(src)
                                .setProducerId("producer-1")
                                .build());
        RecordHeaders h = new RecordHeaders();
        h.add(StatecastHeaders.VERSION, StatecastHeaders.encodeLong(version));
        h.add(StatecastHeaders.SRC_OFFSET, StatecastHeaders.encodeLong(src));
        h.add(StatecastHeaders.PRODUCER_ID, bytes("producer-1"));
        add(new ProducerRecord<>(ns.state(), p, t.toEpochMilli(), bytes(key), value, h));
        if (history) {
            add(new ProducerRecord<>(ns.history(), p, t.toEpochMilli(), bytes(key), value, h));
        }
        if (value == null) {
            tables.get(p).remove(Bytes.wrap(bytes(key)));
        } else {
            tables.get(p).put(Bytes.wrap(bytes(key)), value);
        }
        return this;
    }

    /** An honest checksum of every partition at its last srcOffset. */
    FakeMaterializer checksums() {
        for (int p = 0; p < partitions; p++) {
            add(checksumRecord(ns, honest(p)));
        }
        return this;
    }

    Checksum honest(int p) {
        Digest d = new Digest();
        tables.get(p).forEach((k, v) -> d.add(k.get(), v));
        return Checksum.newBuilder()
                .setPartition(p)
                .setSrcOffset(srcOffsets[p] - 1)
                .setDigestVersion(d.version())
                .setCount(d.count())
                .setLanes(d.value().lanes())
                .setEmittedAt(time(step))
                .build();
    }

    static ProducerRecord<byte[], byte[]> checksumRecord(Namespace ns, Checksum c) {
        return new ProducerRecord<>(
                ns.checksums(),
                c.getPartition(),
                ByteBuffer.allocate(4).putInt(c.getPartition()).array(),
                Envelopes.checksum().encode(c));
    }

    private void add(ProducerRecord<byte[], byte[]> r) {
        pending.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r);
    }

    /** Writes everything scripted so far. */
    FakeMaterializer flush() {
        pending.forEach(kafka::produce);
        pending.clear();
        return this;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
