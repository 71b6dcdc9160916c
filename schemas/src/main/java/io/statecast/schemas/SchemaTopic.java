package io.statecast.schemas;

import io.statecast.common.Namespace;
import io.statecast.common.SchemaNotFoundException;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
    /** How long a missing fingerprint is looked for (re-reading the topic) before it is unknown. */
    public static final Duration PATIENCE = Duration.ofSeconds(2);
    /** How often an unknown fingerprint is looked for again. */
    public static final Duration RECHECK = Duration.ofSeconds(10);

    private static final int MAX_GIVEN_UP = 1024;

    private final Map<String, Object> config;
    private final String topic;
    private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();
    private final List<Schema> inOrder = new ArrayList<>();
    private final AtomicLong corrupt = new AtomicLong();
    private final Set<String> corruptSeen = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanos;
    /** Fingerprints looked for in vain, and when (the oldest forgotten past {@link #MAX_GIVEN_UP}). */
    private final Map<Long, Long> givenUp = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_GIVEN_UP;
        }
    };

    private long lastRefresh;
    private KafkaProducer<byte[], byte[]> producer;

    private SchemaTopic(Map<String, Object> config, String topic, LongSupplier nanos) {
        this.config = Map.copyOf(config);
        this.topic = topic;
        this.nanos = nanos;
        this.lastRefresh = nanos.getAsLong() - MIN_REFRESH_NANOS - 1;
    }

    /** The schemas topic of {@code ns}, reached with this client configuration. Nothing is read until needed. */
    public static SchemaTopic open(Map<String, Object> kafkaConfig, Namespace ns) {
        return open(kafkaConfig, ns, System::nanoTime);
    }

    /** The same, with the monotonic clock that spaces its reads of the topic (tests). */
    static SchemaTopic open(Map<String, Object> kafkaConfig, Namespace ns, LongSupplier nanos) {
        return new SchemaTopic(kafkaConfig, ns.schemas(), nanos);
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

    /**
     * The schema of this fingerprint. On a miss the topic is read to its end — after waiting out the rest of
     * 100 ms since the last read, never instead of reading: a writer registers before it sends, so a read
     * begun after the miss finds every schema in use by then. Still missing, the topic is read again with
     * a growing pause (100, 200, 400… ms) for up to {@link #PATIENCE} after the fingerprint's first miss;
     * then it is unknown, and a later miss of it reads the topic once, at most every {@link #RECHECK}
     * (a record that names a schema nobody registered costs no more than that).
     */
    public synchronized Optional<Schema> lookup(long fingerprint) {
        Schema s = schemas.get(fingerprint);
        if (s != null) {
            return Optional.of(s);
        }
        Long givenUpAt = givenUp.get(fingerprint);
        if (givenUpAt != null && nanos.getAsLong() - givenUpAt < RECHECK.toNanos()) {
            return Optional.empty();
        }
        long patience = givenUpAt == null ? PATIENCE.toNanos() : 0;
        long pause = MIN_REFRESH_NANOS;
        for (long waited = 0; ; waited += pause, pause = Math.min(pause * 2, TimeUnit.SECONDS.toNanos(1))) {
            if (!awaitSinceLastRead(pause)) {
                break; // interrupted: answer with what is known
            }
            try {
                refresh();
            } catch (RuntimeException e) { // brokers unreachable: unknown for now, asked again after RECHECK
                log.warn(
                        "Cannot read {} to look for schema {}: {}",
                        topic,
                        SchemaNotFoundException.hex(fingerprint),
                        e.toString());
                break;
            }
            s = schemas.get(fingerprint);
            if (s != null || waited + pause >= patience) {
                break;
            }
        }
        if (s == null) {
            givenUp.put(fingerprint, nanos.getAsLong());
        } else {
            givenUp.remove(fingerprint);
        }
        return Optional.ofNullable(s);
    }

    // Reads of the topic are spaced by at least `pause`; false when interrupted while waiting.
    private boolean awaitSinceLastRead(long pause) {
        long wait = pause - (nanos.getAsLong() - lastRefresh);
        if (wait <= 0) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        lastRefresh = nanos.getAsLong();
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

    // Each read goes through the whole topic again: an entry is counted once, the first time it is read.
    private void countCorrupt(ConsumerRecord<byte[], byte[]> r, String why) {
        if (!corruptSeen.add(r.partition() + "@" + r.offset())) {
            return;
        }
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
