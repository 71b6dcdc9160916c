package io.statecast.consumer;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Progress;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.StateRecord;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.KafkaFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes what the materializer writes — state records with version/srcOffset headers, progress marks —
 * with a transactional producer, so tests control transactions, aborts and control markers.
 */
final class FakeMaterializer implements AutoCloseable {
    static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private final KafkaProducer<byte[], byte[]> producer;
    private final Namespace ns;
    private final Map<String, Long> versions = new HashMap<>();
    private long srcOffset;

    FakeMaterializer(KafkaFixture kafka, Namespace ns) {
        this(kafka, ns, "fake-" + ns.name());
    }

    FakeMaterializer(KafkaFixture kafka, Namespace ns, String transactionalId) {
        this.ns = ns;
        Map<String, Object> c = kafka.clientConfig();
        c.put("transactional.id", transactionalId);
        producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    static Pod pod(String name, String node, PodPhase phase) {
        return Pod.newBuilder()
                .setNamespace("default")
                .setName(name)
                .setUid("uid-" + name)
                .setNode(node)
                .setPhase(phase)
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    void begin() {
        producer.beginTransaction();
    }

    void commit() {
        producer.commitTransaction();
    }

    void abort() {
        producer.abortTransaction();
    }

    /** Sends what is buffered: inside a transaction, the records are then in the log but not yet visible. */
    void flush() {
        producer.flush();
    }

    /** Writes the state record of an upsert (pod != null) or a tombstone, in partition p; returns its value bytes. */
    byte[] write(int partition, String key, Pod pod) {
        long version = versions.merge(key, 1L, Long::sum);
        long src = srcOffset++;
        byte[] value = pod == null
                ? null
                : Envelopes.stateRecord()
                        .encode(StateRecord.newBuilder()
                                .setPayload(ByteBuffer.wrap(PODS.encode(pod)))
                                .setVersion(version)
                                .setUpdatedAt(Instant.now())
                                .setOriginPartition(partition)
                                .setOriginOffset(src)
                                .setProducerId("fake")
                                .build());
        RecordHeaders h = new RecordHeaders();
        h.add(StatecastHeaders.VERSION, StatecastHeaders.encodeLong(version));
        h.add(StatecastHeaders.SRC_OFFSET, StatecastHeaders.encodeLong(src));
        producer.send(
                new ProducerRecord<>(ns.state(), partition, null, key.getBytes(StandardCharsets.UTF_8), value, h));
        return value;
    }

    /** Writes a state record whose payload is these bytes (e.g. naming a schema nobody registered). */
    void writePayload(int partition, String key, byte[] payload) {
        long src = srcOffset++;
        byte[] value = Envelopes.stateRecord()
                .encode(StateRecord.newBuilder()
                        .setPayload(ByteBuffer.wrap(payload))
                        .setVersion(1)
                        .setUpdatedAt(Instant.now())
                        .setOriginPartition(partition)
                        .setOriginOffset(src)
                        .setProducerId("fake")
                        .build());
        RecordHeaders h = new RecordHeaders();
        h.add(StatecastHeaders.VERSION, StatecastHeaders.encodeLong(1));
        h.add(StatecastHeaders.SRC_OFFSET, StatecastHeaders.encodeLong(src));
        producer.send(
                new ProducerRecord<>(ns.state(), partition, null, key.getBytes(StandardCharsets.UTF_8), value, h));
    }

    void raw(int partition, String key, byte[] value) {
        producer.send(new ProducerRecord<>(ns.state(), partition, key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** Leaves {@code n} srcOffsets without a state record (changes the materializer rejected or found no-ops). */
    void skipSrcOffsets(long n) {
        srcOffset += n;
    }

    /** The srcOffset the next {@link #write} will carry. */
    long nextSrcOffset() {
        return srcOffset;
    }

    /** A progress mark saying changes up to src are processed, the last state record before it being stateSrc's. */
    void progress(int partition, long src, long stateSrc) {
        progress(partition, src, stateSrc, -1);
    }

    /** {@link #progress(int, long, long)} with header {@code sc.partitions} (the count it runs with), -1: none. */
    void progress(int partition, long src, long stateSrc, int partitions) {
        RecordHeaders h = new RecordHeaders();
        h.add(StatecastHeaders.STATE_SRC_OFFSET, StatecastHeaders.encodeLong(stateSrc));
        if (partitions >= 0) {
            h.add(StatecastHeaders.PARTITIONS, StatecastHeaders.encodeLong(partitions));
        }
        producer.send(new ProducerRecord<>(
                ns.checksums(),
                partition,
                ByteBuffer.allocate(4).putInt(partition).array(),
                Envelopes.progress()
                        .encode(Progress.newBuilder()
                                .setPartition(partition)
                                .setSrcOffset(src)
                                .setEmittedAt(Instant.now())
                                .build()),
                h));
    }

    /**
     * A checksum of partition p at src claiming {@code count} entries and these lanes (any digest: tests
     * write wrong ones to provoke a mismatch); {@code stateSrc} names the state record it follows, or
     * null for none (an older materializer).
     */
    void checksum(int partition, long src, long count, java.util.List<Long> lanes, Long stateSrc) {
        RecordHeaders h = new RecordHeaders();
        if (stateSrc != null) {
            h.add(StatecastHeaders.STATE_SRC_OFFSET, StatecastHeaders.encodeLong(stateSrc));
        }
        producer.send(new ProducerRecord<>(
                ns.checksums(),
                partition,
                ByteBuffer.allocate(4).putInt(partition).array(),
                Envelopes.checksum()
                        .encode(io.statecast.schemas.Checksum.newBuilder()
                                .setPartition(partition)
                                .setSrcOffset(src)
                                .setCount(count)
                                .setDigestVersion(io.statecast.common.Digest.VERSION)
                                .setLanes(lanes)
                                .setEmittedAt(Instant.now())
                                .build()),
                h));
    }

    @Override
    public void close() {
        producer.close();
    }
}
