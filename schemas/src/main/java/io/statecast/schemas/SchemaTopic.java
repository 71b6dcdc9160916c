package io.statecast.schemas;

import io.statecast.common.Namespace;
import io.statecast.common.SchemaNotFoundException;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace's schemas topic {@code <ns>.schemas}, a registry without a server: key = the
 * fingerprint as 16 lowercase hex digits, value = the schema's JSON text. Writers
 * {@link #register} before first use (idempotent); readers {@link #lookup} unknown fingerprints;
 * {@link ValueSchemas} finds the schema of a namespace's values for tools that are given none.
 * A corrupt entry (unparseable, or a key that is not its schema's fingerprint) is skipped and counted.
 */
public final class SchemaTopic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long MIN_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Map<String, Object> config;
    private final String topic;
    private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();
    private final List<Schema> inOrder = new ArrayList<>();
    private final AtomicLong corrupt = new AtomicLong();
    private long lastRefresh;
    private KafkaProducer<byte[], byte[]> producer;

    private SchemaTopic(Map<String, Object> config, String topic) {
        this.config = Map.copyOf(config);
        this.topic = topic;
    }

    /** The schemas topic of {@code ns}, reached with this client configuration. Nothing is read until needed. */
    public static SchemaTopic open(Map<String, Object> kafkaConfig, Namespace ns) {
        return new SchemaTopic(kafkaConfig, ns.schemas());
    }

    /** The topic's name. */
    public String name() {
        return topic;
    }

    /** Registers {@code schema} unless its fingerprint is there already; returns the fingerprint. */
    public synchronized long register(Schema schema) {
        long fp = SchemaResolver.fingerprint(schema);
        if (lookup(fp).isPresent()) {
            return fp;
        }
        byte[] key = SchemaNotFoundException.hex(fp).getBytes(StandardCharsets.UTF_8);
        byte[] value = schema.toString().getBytes(StandardCharsets.UTF_8);
        try {
            producer().send(new ProducerRecord<>(topic, 0, key, value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted registering a schema in " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StatecastException(
                    "Cannot register schema " + schema.getFullName() + " in " + topic + ": " + e.getMessage(), e);
        }
        add(fp, schema);
        return fp;
    }

    /** Every valid schema of the topic, in the order writers first registered them; reads the topic to its end. */
    public synchronized List<Schema> registered() {
        refresh();
        return List.copyOf(inOrder);
    }

    /** The schema of this fingerprint; reads the topic to its end on a miss (at most every 100 ms). */
    public synchronized Optional<Schema> lookup(long fingerprint) {
        Schema s = schemas.get(fingerprint);
        if (s == null && System.nanoTime() - lastRefresh > MIN_REFRESH_NANOS) {
            refresh();
            s = schemas.get(fingerprint);
        }
        return Optional.ofNullable(s);
    }

    /** Entries skipped because they were corrupt. */
    public long corruptEntries() {
        return corrupt.get();
    }

    private void refresh() {
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(config, Map.of("client.id", "statecast-schemas-reader"))) {
            TopicReader.readAll(consumer, topic, TIMEOUT, this::accept);
        }
        lastRefresh = System.nanoTime();
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || r.value() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        try {
            Schema schema = new Schema.Parser().parse(new String(r.value(), StandardCharsets.UTF_8));
            long fp = SchemaResolver.fingerprint(schema);
            if (!SchemaNotFoundException.hex(fp).equals(key)) {
                countCorrupt(r, "key " + key + " is not the schema's fingerprint " + SchemaNotFoundException.hex(fp));
                return;
            }
            add(fp, schema);
        } catch (SchemaParseException | NullPointerException e) {
            countCorrupt(r, e.getMessage());
        }
    }

    private void add(long fp, Schema schema) {
        if (schemas.putIfAbsent(fp, schema) == null) {
            inOrder.add(schema);
        }
    }

    private void countCorrupt(ConsumerRecord<byte[], byte[]> r, String why) {
        if (corrupt.incrementAndGet() <= 10) {
            log.warn(
                    "Skipping corrupt entry {}-{}@{} of the schemas topic: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    why);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = KafkaClients.producer(config, Map.of());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
