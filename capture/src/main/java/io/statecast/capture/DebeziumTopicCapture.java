package io.statecast.capture;

import io.statecast.capture.internal.CapturedChange;
import io.statecast.capture.internal.ChangeWriter;
import io.statecast.capture.internal.DebeziumRecord;
import io.statecast.capture.internal.KeyEncoder;
import io.statecast.capture.internal.TableRows;
import io.statecast.capture.internal.TopicPositions;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.schemas.RejectionReason;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@code <ns>.changes} from an existing Debezium topic that a Kafka Connect cluster writes (JSON converter
 * with schemas): each row change becomes a {@code ChangeEvent} as {@link PostgresCapture} makes it. The topic is
 * read in a consumer group whose offsets commit in the same Kafka transaction as the changes (read once, written
 * once); Connect's own replays are dropped by the materializer through the rows' source positions.
 *
 * <pre>{@code
 * try (DebeziumTopicCapture c = DebeziumTopicCapture.builder()
 *         .topic("dbserver1.public.pods").namespace("k8s").key("id")
 *         .kafka(Map.of("bootstrap.servers", servers)).build()) {
 *     c.start();
 *     c.join();
 * }
 * }</pre>
 */
public final class DebeziumTopicCapture implements Capture {
    private static final Logger log = LoggerFactory.getLogger(DebeziumTopicCapture.class);

    private final Builder settings;
    private final KeyEncoder keys;
    private final TableRows rows;
    private final JsonConverter json = new JsonConverter();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private ChangeWriter writer;
    private Thread thread;
    private volatile boolean closing;

    private DebeziumTopicCapture(Builder b) {
        this.settings = b;
        this.keys = new KeyEncoder(b.keys);
        this.rows = new TableRows(b.namespace, keys, b.valueSchema);
        json.configure(Map.of("schemas.enable", true), false);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The consumer group the topic is read in: {@code statecast-capture-<ns>-<topic>}. */
    public String group() {
        return "statecast-capture-" + settings.namespace + "-" + settings.topic;
    }

    /** Starts reading on its own thread. */
    @Override
    public synchronized DebeziumTopicCapture start() {
        consumer = KafkaClients.groupConsumer(settings.kafka, group(), Map.of("auto.offset.reset", "earliest"));
        writer = new ChangeWriter(settings.kafka, group(), settings.maxChangeBytes, settings.clock);
        consumer.subscribe(List.of(settings.topic));
        thread = new Thread(this::loop, "statecast-capture-" + settings.namespace + "-topic");
        thread.setDaemon(true);
        thread.start();
        log.info("[capture ns={}] reading Debezium topic {} in group {}", settings.namespace, settings.topic, group());
        return this;
    }

    private void loop() {
        try {
            while (!closing) {
                step(consumer.poll(Duration.ofMillis(500)));
            }
            done.complete(null);
        } catch (WakeupException e) {
            done.complete(null);
        } catch (RuntimeException e) {
            log.error("[capture ns={}] stopped: {}", settings.namespace, e.getMessage(), e);
            done.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void step(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        List<CapturedChange> out = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.addAll(changesOf(r));
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        writer.write(out, offsets, consumer.groupMetadata());
    }

    // A record that is not a Debezium change, or a row without its key, is a rejection: the topic goes on. A key
    // column the rows do not have at all is the user's --key, and stops capture (exit 2) before anything is written.
    private List<CapturedChange> changesOf(ConsumerRecord<byte[], byte[]> r) {
        DebeziumRecord row;
        try {
            row = decode(r);
        } catch (DataException e) {
            return List.of(refused(
                    r,
                    "is not a Debezium record in JSON with schemas (value.converter=JsonConverter,"
                            + " value.converter.schemas.enable=true): " + e.getMessage()));
        }
        if (row.kind() != DebeziumRecord.Kind.DATA) {
            return List.of();
        }
        checkKeyColumns(r, row);
        try {
            return rows.convert(row, TopicPositions.of(row));
        } catch (StatecastException e) { // a key column that is null in this row
            return List.of(refused(r, e.getMessage()));
        }
    }

    private void checkKeyColumns(ConsumerRecord<byte[], byte[]> r, DebeziumRecord row) {
        Struct image = row.after() != null ? row.after() : row.before();
        List<String> missing = image == null ? List.of() : keys.missingFrom(image);
        if (!missing.isEmpty()) {
            List<String> columns =
                    image.schema().fields().stream().map(Field::name).toList();
            throw CaptureException.config("the rows of " + r.topic() + " have no column " + String.join(", ", missing)
                    + " (they have " + String.join(", ", columns) + "): fix --key");
        }
    }

    private CapturedChange refused(ConsumerRecord<byte[], byte[]> r, String why) {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        byte[] raw = r.value() == null ? new byte[0] : r.value();
        CapturedChange.Origin origin = new CapturedChange.Origin(r.topic(), r.partition(), r.offset(), r.key());
        return CapturedChange.refused(
                settings.namespace,
                null,
                null,
                new CapturedChange.Refusal(RejectionReason.INVALID, where + " " + why, raw, origin));
    }

    private DebeziumRecord decode(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return DebeziumRecord.of((Struct) null, null); // Connect's tombstone after a delete
        }
        SchemaAndValue v = json.toConnectData(r.topic(), r.value());
        return DebeziumRecord.of(v.value() instanceof Struct s ? s : null, null);
    }

    @Override
    public void join() {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted", false, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CaptureException ce
                    ? ce
                    : new CaptureException("capture stopped: " + e.getCause().getMessage(), false, e.getCause());
        }
    }

    /** Changes written so far. */
    @Override
    public long written() {
        return writer == null ? 0 : writer.written();
    }

    /** Records written as rejections so far (not a Debezium record, a null key column, too large, not fitting). */
    public long rejected() {
        return writer == null ? 0 : writer.rejected();
    }

    /** Stops reading (the current batch commits or aborts); idempotent. */
    @Override
    public synchronized void close() {
        closing = true;
        if (thread != null) {
            consumer.wakeup();
            try {
                done.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("[capture ns={}] closing: {}", settings.namespace, e.getMessage());
            }
            thread = null;
            writer.close();
        }
    }

    /** Builder of a {@link DebeziumTopicCapture}. */
    public static final class Builder {
        private String topic;
        private String namespace;
        private List<String> keys = List.of();
        private Schema valueSchema;
        private final Map<String, Object> kafka = new HashMap<>();
        private int maxChangeBytes = 1_000_000;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The Debezium topic, e.g. {@code dbserver1.public.pods}. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The namespace whose {@code <ns>.changes} the rows go to. */
        public Builder namespace(String namespace) {
            this.namespace = Namespace.of(namespace).name();
            return this;
        }

        /** The key column(s), as for {@link PostgresCapture.Builder#key(String...)}. */
        public Builder key(String... columns) {
            return key(List.of(columns));
        }

        /** As {@link #key(String...)}. */
        public Builder key(List<String> columns) {
            this.keys = List.copyOf(columns);
            return this;
        }

        /** Map columns onto this schema by field name instead of deriving one. */
        public Builder valueSchema(Schema schema) {
            this.valueSchema = schema;
            return this;
        }

        /** Kafka client properties of the cluster holding both topics. */
        public Builder kafka(Map<String, ?> properties) {
            kafka.putAll(properties);
            return this;
        }

        /** Changes larger than this become TOO_LARGE rejections. */
        public Builder maxChangeBytes(int bytes) {
            this.maxChangeBytes = bytes;
            return this;
        }

        /** The clock of {@code clientTimestamp}. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The capture, not started. */
        public DebeziumTopicCapture build() {
            if (topic == null || namespace == null || keys.isEmpty() || !kafka.containsKey("bootstrap.servers")) {
                throw CaptureException.config("--topic, --namespace, --key and bootstrap.servers are required");
            }
            return new DebeziumTopicCapture(this);
        }
    }
}
