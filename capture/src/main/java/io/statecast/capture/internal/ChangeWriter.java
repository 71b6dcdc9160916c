package io.statecast.capture.internal;

import io.statecast.capture.CaptureException;
import io.statecast.common.Namespace;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Writes captured changes to {@code <ns>.changes}, each batch in one Kafka transaction (the rows of a database
 * transaction are never split across two), registering every value schema in {@code <ns>.schemas} before its
 * first use. A change over {@code maxChangeBytes} cannot go to Kafka whole: it becomes a {@code TOO_LARGE}
 * rejection in {@code <ns>.rejections} (its first 64 KiB kept), in the same transaction. The transactional id
 * fences a second capture of the same slot.
 */
public final class ChangeWriter implements AutoCloseable {
    static final int KEPT_BYTES = 64 * 1024;

    private final Map<String, Object> kafka;
    private final String transactionalId;
    private final String producerId;
    private final int maxChangeBytes;
    private final Clock clock;
    private final Map<String, SchemaTopic> schemaTopics = new HashMap<>();
    private final Map<Schema, AvroCodec<GenericRecord>> codecs = new HashMap<>();
    private final Set<String> checkedNamespaces = new java.util.HashSet<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private KafkaProducer<byte[], byte[]> producer;

    /** A writer with these client settings; {@code transactionalId} is the capture's own. */
    public ChangeWriter(Map<String, ?> kafka, String transactionalId, int maxChangeBytes, Clock clock) {
        this.kafka = new HashMap<>(kafka);
        this.transactionalId = transactionalId;
        this.producerId = transactionalId;
        this.maxChangeBytes = maxChangeBytes;
        this.clock = clock;
    }

    /** Writes the changes in one transaction; retried until it commits (broker down), fatal when fenced. */
    public void write(List<CapturedChange> changes) {
        if (!changes.isEmpty()) {
            write(changes, null, null);
        }
    }

    /**
     * Writes the changes and commits the consumer offsets {@code offsets} of {@code group} in the same
     * transaction (a consume-transform-produce step: read once, written once).
     */
    public void write(
            List<CapturedChange> changes, Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        changes.forEach(c -> checkNamespace(c.namespace()));
        List<ProducerRecord<byte[], byte[]>> records =
                changes.stream().map(this::record).toList();
        new Retry("write " + records.size() + " change(s) to Kafka").run(() -> commit(records, offsets, group));
        written.addAndGet(changes.stream().filter(c -> c.refusal() == null).count());
    }

    /** Changes written so far (rejections not counted). */
    public long written() {
        return written.get();
    }

    /** Rows written as rejections so far (too large, or not fitting {@code --value-schema}). */
    public long rejected() {
        return rejected.get();
    }

    private void commit(
            List<ProducerRecord<byte[], byte[]>> records,
            Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata group) {
        KafkaProducer<byte[], byte[]> p = producer();
        try {
            p.beginTransaction();
            records.forEach(p::send);
            if (offsets != null && !offsets.isEmpty()) {
                p.sendOffsetsToTransaction(offsets, group);
            }
            p.commitTransaction();
        } catch (ProducerFencedException | AuthorizationException e) {
            throw new CaptureException(
                    "capture " + transactionalId + " stopped: " + e.getMessage()
                            + " (another capture of the same slot took over, or the user may not write)",
                    false,
                    e);
        } catch (KafkaException e) {
            reset();
            throw e;
        }
    }

    private ProducerRecord<byte[], byte[]> record(CapturedChange c) {
        Namespace ns = Namespace.of(c.namespace());
        byte[] key = c.key() == null ? null : c.key().getBytes(StandardCharsets.UTF_8);
        if (c.refusal() != null) {
            return rejection(ns, key, c.refusal(), c);
        }
        byte[] value = Envelopes.changeEvent().encode(event(c));
        if (value.length > maxChangeBytes) {
            String why = "the change of key " + c.key() + " has " + value.length + " bytes, over capture's limit of "
                    + maxChangeBytes + " (Kafka's max.request.size and the topic's max.message.bytes bound it)";
            return rejection(ns, key, new CapturedChange.Refusal(RejectionReason.TOO_LARGE, why, value, null), c);
        }
        return new ProducerRecord<>(ns.changes(), key, value);
    }

    private ChangeEvent event(CapturedChange c) {
        ByteBuffer payload = c.value() == null ? null : ByteBuffer.wrap(encode(c.namespace(), c.value()));
        return ChangeEvent.newBuilder()
                .setOp(c.op())
                .setPayload(payload)
                .setProducerId(producerId)
                .setClientTimestamp(clock.instant())
                .setSource(c.source())
                .build();
    }

    // Where the input was: a record of a Debezium topic names itself; a row never reached a topic (its LSN).
    private ProducerRecord<byte[], byte[]> rejection(
            Namespace ns, byte[] key, CapturedChange.Refusal why, CapturedChange c) {
        rejected.incrementAndGet();
        CapturedChange.Origin from = why.origin();
        byte[] raw = why.raw();
        Rejection r = Rejection.newBuilder()
                .setReason(why.reason())
                .setMessage(why.message())
                .setTopic(from == null ? CaptureRejections.SOURCE_TOPIC : from.topic())
                .setPartition(from == null ? -1 : from.partition())
                .setOffset(
                        from != null
                                ? from.offset()
                                : c.source() == null ? -1 : c.source().getSequence())
                .setRawKey(from != null ? wrap(from.rawKey()) : wrap(key))
                .setRawValue(ByteBuffer.wrap(Arrays.copyOf(raw, Math.min(raw.length, KEPT_BYTES))))
                .setRejectedAt(clock.instant())
                .build();
        return new ProducerRecord<>(ns.rejections(), key, Envelopes.rejection().encode(r));
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }

    private byte[] encode(String namespace, GenericRecord value) {
        AvroCodec<GenericRecord> codec = codecs.get(value.getSchema());
        if (codec == null) {
            schemaTopic(namespace).register(value.getSchema()); // before first use: every reader can resolve it
            codec = AvroCodec.generic(value.getSchema(), SchemaResolver.builtIn());
            codecs.put(value.getSchema(), codec);
        }
        return codec.encode(value);
    }

    private SchemaTopic schemaTopic(String namespace) {
        return schemaTopics.computeIfAbsent(namespace, n -> SchemaTopic.open(kafka, Namespace.of(n)));
    }

    // A namespace without topics would block every send until it times out: say so at once.
    private void checkNamespace(String namespace) {
        if (checkedNamespaces.contains(namespace)) {
            return;
        }
        Namespace ns = Namespace.of(namespace);
        try (Admin admin = KafkaClients.admin(kafka)) {
            Set<String> topics = admin.listTopics().names().get();
            if (!topics.contains(ns.changes()) || !topics.contains(ns.rejections())) {
                throw new CaptureException(
                        "namespace " + namespace + " has no topics " + ns.changes() + " and " + ns.rejections()
                                + ": run statecast topics create --namespace " + namespace,
                        true,
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted", false, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KafkaException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
        checkedNamespaces.add(namespace);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = KafkaClients.producer(
                    kafka,
                    Map.of(
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            transactionalId,
                            ProducerConfig.CLIENT_ID_CONFIG,
                            transactionalId,
                            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                            maxChangeBytes + 4096,
                            ProducerConfig.LINGER_MS_CONFIG,
                            5,
                            ProducerConfig.COMPRESSION_TYPE_CONFIG,
                            "lz4"));
            producer.initTransactions();
        }
        return producer;
    }

    private void reset() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public void close() {
        reset();
        schemaTopics.values().forEach(SchemaTopic::close);
    }
}
