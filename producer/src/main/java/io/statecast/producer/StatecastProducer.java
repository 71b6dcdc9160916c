package io.statecast.producer;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Writes state changes of one namespace to {@code <ns>.changes}. Every send returns a future
 * {@link Receipt} (partition and offset) that a view can {@code await}; a failed send completes the
 * future exceptionally with {@link SendFailedException} — never silently.
 *
 * <pre>{@code
 * try (StatecastProducer<Pod> producer = StatecastProducer.builder(Pod.class)
 *         .namespace("k8s").kafka(Map.of("bootstrap.servers", servers)).build()) {
 *     Receipt r = producer.upsert("default/web-1", pod).join();
 *     producer.delete("default/web-0", 3).join();          // compare-and-set on version 3
 * }
 * }</pre>
 */
public final class StatecastProducer<V> implements AutoCloseable {
    private final Namespace ns;
    private final AvroCodec<V> payloads;
    private final String producerId;
    private final Map<String, Object> kafka;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SchemaTopic schemaTopic;
    private final Clock clock;
    private KafkaProducer<byte[], byte[]> transactional;

    private StatecastProducer(Builder<V> b, AvroCodec<V> payloads) {
        this.ns = Objects.requireNonNull(b.ns, "namespace");
        this.payloads = payloads;
        this.kafka = b.kafka;
        this.producerId = b.producerId != null
                ? b.producerId
                : (String) b.kafka.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "producer-" + UUID.randomUUID());
        this.clock = b.clock;
        Map<String, Object> plain = new HashMap<>(kafka);
        plain.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.schemaTopic = SchemaTopic.open(plain, ns);
        // Writers register their payload schema before first use, so every reader can resolve it.
        schemaTopic.register(payloads.schema());
        this.producer = KafkaClients.producer(plain, Map.of());
    }

    /** A producer of generated Avro records of {@code type}. */
    public static <V extends SpecificRecord> Builder<V> builder(Class<V> type) {
        return new Builder<>(type, null);
    }

    /** A producer of generic records of {@code schema}. */
    public static Builder<GenericRecord> builder(Schema schema) {
        return new Builder<>(null, schema);
    }

    /** The namespace written to. */
    public Namespace namespace() {
        return ns;
    }

    public CompletableFuture<Receipt> upsert(String key, V value) {
        return send(Change.upsert(key, value));
    }

    /** Upsert accepted only if the key's current version is {@code expectedVersion} (0: must not exist). */
    public CompletableFuture<Receipt> upsert(String key, V value, long expectedVersion) {
        return send(Change.upsert(key, value, expectedVersion));
    }

    public CompletableFuture<Receipt> delete(String key) {
        return send(Change.delete(key));
    }

    /** Delete accepted only if the key's current version is {@code expectedVersion}. */
    public CompletableFuture<Receipt> delete(String key, long expectedVersion) {
        return send(Change.delete(key, expectedVersion));
    }

    /** Sends one change; the receipt says where it landed in {@code <ns>.changes}. */
    public CompletableFuture<Receipt> send(Change<V> change) {
        return send(producer, record(change));
    }

    /** Sends changes in order, each with its own receipt. */
    public List<CompletableFuture<Receipt>> send(List<Change<V>> changes) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        changes.forEach(c -> records.add(record(c)));
        List<CompletableFuture<Receipt>> out = new ArrayList<>();
        records.forEach(r -> out.add(send(producer, r)));
        return out;
    }

    /**
     * Sends the changes in one Kafka transaction: a {@code read_committed} reader (the materializer)
     * sees all of them or none. Needs {@code Builder#transactionalId}. Blocks until committed; on any
     * error the transaction is aborted and the exception thrown.
     */
    public synchronized List<Receipt> sendTransactionally(List<Change<V>> changes) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        changes.forEach(c -> records.add(record(c)));
        KafkaProducer<byte[], byte[]> tx = transactional();
        tx.beginTransaction();
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        try {
            records.forEach(r -> futures.add(send(tx, r)));
            tx.flush();
            List<Receipt> receipts = new ArrayList<>();
            for (CompletableFuture<Receipt> f : futures) {
                receipts.add(f.join());
            }
            tx.commitTransaction();
            return receipts;
        } catch (RuntimeException e) {
            abort(tx);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SendFailedException(
                    "Transactional batch of " + changes.size() + " change(s) aborted: " + cause.getMessage(), cause);
        }
    }

    /** Waits until every send so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    private ProducerRecord<byte[], byte[]> record(Change<V> change) {
        ChangeEvent event = ChangeEvent.newBuilder()
                .setOp(change.op())
                .setPayload(change.value() == null ? null : ByteBuffer.wrap(encode(change)))
                .setExpectedVersion(change.expectedVersion())
                .setProducerId(producerId)
                .setClientTimestamp(clock.instant())
                .build();
        return new ProducerRecord<>(
                ns.changes(),
                change.key().getBytes(StandardCharsets.UTF_8),
                Envelopes.changeEvent().encode(event));
    }

    private byte[] encode(Change<V> change) {
        try {
            return payloads.encode(change.value());
        } catch (RuntimeException e) {
            throw new StatecastException(
                    "The value of key '" + change.key() + "' does not fit schema "
                            + payloads.schema().getFullName() + ": " + e.getMessage(),
                    e);
        }
    }

    private CompletableFuture<Receipt> send(KafkaProducer<byte[], byte[]> p, ProducerRecord<byte[], byte[]> r) {
        CompletableFuture<Receipt> receipt = new CompletableFuture<>();
        try {
            p.send(r, (RecordMetadata md, Exception e) -> complete(receipt, md, e));
        } catch (KafkaException e) {
            receipt.completeExceptionally(
                    new SendFailedException("Send to " + r.topic() + " failed: " + e.getMessage(), e));
        }
        return receipt;
    }

    private static void complete(CompletableFuture<Receipt> receipt, RecordMetadata md, Exception e) {
        if (e != null) {
            receipt.completeExceptionally(new SendFailedException(
                    "Send to " + (md == null ? "changes" : md.topic()) + " failed: " + e.getMessage(), e));
        } else {
            receipt.complete(new Receipt(md.topic(), md.partition(), md.offset(), md.timestamp()));
        }
    }

    private KafkaProducer<byte[], byte[]> transactional() {
        if (transactional == null) {
            Object id = kafka.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            if (id == null) {
                throw new StatecastException(
                        "sendTransactionally needs a transactional id: set Builder#transactionalId");
            }
            transactional = KafkaClients.producer(kafka, Map.of(ProducerConfig.CLIENT_ID_CONFIG, producerId + "-tx"));
            transactional.initTransactions();
        }
        return transactional;
    }

    private static void abort(KafkaProducer<byte[], byte[]> tx) {
        try {
            tx.abortTransaction();
        } catch (KafkaException ignored) {
            // the transaction is already failed; the broker aborts it when it times out
        }
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(10));
        if (transactional != null) {
            transactional.close(Duration.ofSeconds(10));
        }
        schemaTopic.close();
    }

    /** Builder of a {@link StatecastProducer}. */
    public static final class Builder<V> {
        private final Class<?> type;
        private final Schema schema;
        private Namespace ns;
        private final Map<String, Object> kafka = new HashMap<>();
        private String producerId;
        private Clock clock = Clock.systemUTC();

        private Builder(Class<?> type, Schema schema) {
            this.type = type;
            this.schema = schema;
            kafka.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            kafka.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            kafka.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        }

        public Builder<V> namespace(String name) {
            this.ns = Namespace.of(name);
            return this;
        }

        /**
         * Kafka producer properties, passed through (security, {@code client.id}, compression…).
         * Idempotence and {@code acks=all} are always on: settings that weaken them are refused.
         */
        public Builder<V> kafka(Map<String, ?> properties) {
            Object acks = properties.get(ProducerConfig.ACKS_CONFIG);
            Object idempotence = properties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
            if (acks != null && !"all".equals(acks.toString()) && !"-1".equals(acks.toString())) {
                throw new StatecastException(
                        "acks=" + acks + " could lose accepted writes; Statecast producers always use acks=all");
            }
            if (idempotence != null && !Boolean.parseBoolean(idempotence.toString())) {
                throw new StatecastException("enable.idempotence=false could duplicate or reorder changes; remove it");
            }
            kafka.putAll(properties);
            return this;
        }

        /** Id written into every change (default: {@code client.id}, else a random id). */
        public Builder<V> producerId(String id) {
            this.producerId = id;
            return this;
        }

        /** Enables {@link StatecastProducer#sendTransactionally}. */
        public Builder<V> transactionalId(String id) {
            kafka.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
            return this;
        }

        /** The clock of {@code clientTimestamp} (tests inject one). */
        public Builder<V> clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        public StatecastProducer<V> build() {
            if (!kafka.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new StatecastException("Set bootstrap.servers in Builder#kafka");
            }
            AvroCodec<V> codec = type != null
                    ? (AvroCodec<V>) AvroCodec.specific((Class) type, SchemaResolver.builtIn())
                    : (AvroCodec<V>) AvroCodec.generic(schema, SchemaResolver.builtIn());
            return new StatecastProducer<>(this, codec);
        }
    }
}
