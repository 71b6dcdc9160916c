package io.statecast.capture;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.statecast.capture.internal.ChangeWriter;
import io.statecast.capture.internal.EngineConsumer;
import io.statecast.capture.internal.EngineProperties;
import io.statecast.capture.internal.JdbcTarget;
import io.statecast.capture.internal.KeyEncoder;
import io.statecast.capture.internal.OutboxRows;
import io.statecast.capture.internal.PreFlight;
import io.statecast.capture.internal.RowConverter;
import io.statecast.capture.internal.TableName;
import io.statecast.capture.internal.TableRows;
import io.statecast.capture.internal.Transactions;
import io.statecast.common.Namespace;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change-data capture from one PostgreSQL table into {@code <ns>.changes}, through Debezium's embedded engine and
 * the {@code pgoutput} plugin: a snapshot of the existing rows, then streaming. Each row change becomes a
 * {@code ChangeEvent} (UPSERT with the row, DELETE) with its source position, so that the materializer drops the
 * replays that follow a crash; offsets live in a compacted Kafka topic. See docs/capture.md.
 *
 * <pre>{@code
 * try (PostgresCapture capture = PostgresCapture.builder()
 *         .jdbcUrl("jdbc:postgresql://db:5432/app").user("statecast").password(secret)
 *         .table("public.pods").namespace("k8s").key("namespace", "name")
 *         .kafka(Map.of("bootstrap.servers", servers))
 *         .build()) {
 *     capture.start();       // checks the database and the table, then runs on its own thread
 *     capture.join();        // until closed; rethrows what stopped it
 * }
 * }</pre>
 */
public final class PostgresCapture implements Capture {
    private static final Logger log = LoggerFactory.getLogger(PostgresCapture.class);

    private final Builder settings;
    private final JdbcTarget target;
    private final TableName table;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private ChangeWriter writer;
    private DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private Thread thread;

    private PostgresCapture(Builder b) {
        this.settings = b;
        this.target = JdbcTarget.parse(b.jdbcUrl);
        this.table = TableName.parse(b.table);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the server and the table (login, {@code wal_level}, privileges, key columns, replica identity), then
     * starts the engine on its own thread.
     *
     * @throws CaptureException naming the fix; {@link CaptureException#misconfigured()} for a setting to change
     */
    @Override
    public synchronized PostgresCapture start() {
        PreFlight checks = new PreFlight(target, settings.user, settings.password);
        if (settings.outbox != null) {
            OutboxTable o = settings.outbox;
            checks.checkOutbox(table, List.of(o.idColumn(), o.typeColumn(), o.payloadColumn()));
        } else {
            checks.check(table, settings.keys);
        }
        writer = new ChangeWriter(settings.kafka, name(), settings.maxChangeBytes, settings.clock);
        engine = DebeziumEngine.create(Connect.class)
                .using(EngineProperties.of(
                        source(), settings.kafka, name(), settings.offsetsTopic, settings.offsetFlushInterval))
                .using(this::completed)
                .notifying(new EngineConsumer(new Transactions(rows()), writer))
                .build();
        thread = new Thread(engine, "statecast-capture-" + logName() + "-engine");
        thread.setDaemon(true);
        thread.start();
        log.info(
                "[capture {}] started: {} on {} (slot {}, publication {}, offsets in {})",
                logName(),
                table,
                target.url(),
                slot(),
                publication(),
                settings.offsetsTopic);
        return this;
    }

    @Override
    public void join() {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted", false, e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** As {@link #join()}, at most {@code timeout}; false when capture is still running then. */
    public boolean join(Duration timeout) {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted", false, e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** Changes written to Kafka so far (rows refused as rejections not counted). */
    @Override
    public long written() {
        return writer == null ? 0 : writer.written();
    }

    /** Rows written as rejections so far (too large for Kafka, or not fitting the value schema). */
    public long rejected() {
        return writer == null ? 0 : writer.rejected();
    }

    /** The replication slot's name. */
    public String slot() {
        return settings.slot != null ? settings.slot : "statecast_" + sanitized(settings.namespace);
    }

    /** The publication's name. */
    public String publication() {
        return settings.publication != null ? settings.publication : slot();
    }

    private void completed(boolean success, String message, Throwable error) {
        if (success || error == null) {
            done.complete(null);
        } else {
            log.error("[capture {}] stopped: {}", logName(), message, error);
            done.completeExceptionally(error);
        }
    }

    private static CaptureException failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CaptureException ce) {
                return ce;
            }
        }
        return new CaptureException("capture stopped: " + t.getMessage(), false, t);
    }

    private RowConverter rows() {
        if (settings.outbox != null) {
            return new OutboxRows(settings.outbox);
        }
        return new TableRows(settings.namespace, new KeyEncoder(settings.keys), settings.valueSchema);
    }

    private EngineProperties.Source source() {
        return new EngineProperties.Source(target, settings.user, settings.password, table, slot(), publication());
    }

    private String name() {
        return "statecast-capture-" + slot();
    }

    private String logName() {
        return settings.namespace != null ? "ns=" + settings.namespace : "outbox=" + table;
    }

    private static String sanitized(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** Stops the engine (the open Kafka transaction commits or aborts); idempotent, bounded. */
    @Override
    public synchronized void close() {
        if (engine != null) {
            try {
                engine.close();
            } catch (IOException e) {
                log.warn("[capture {}] closing the engine: {}", logName(), e.getMessage());
            }
            join(Duration.ofSeconds(30));
            engine = null;
        }
        if (writer != null) {
            writer.close();
        }
        done.complete(null);
    }

    /** Builder of a {@link PostgresCapture}. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password = "";
        private String table;
        private String namespace;
        private List<String> keys = List.of();
        private String slot;
        private String publication;
        private Schema valueSchema;
        private OutboxTable outbox;
        private final Map<String, Object> kafka = new HashMap<>();
        private String offsetsTopic = "statecast.capture-offsets";
        private Duration offsetFlushInterval = Duration.ofSeconds(1);
        private int maxChangeBytes = 1_000_000;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** {@code jdbc:postgresql://HOST[:PORT]/DATABASE}. */
        public Builder jdbcUrl(String url) {
            this.jdbcUrl = url;
            return this;
        }

        /** The database user (needs REPLICATION and SELECT on the table). */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Its password. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The table, {@code schema.table}. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The namespace whose {@code <ns>.changes} the rows go to. */
        public Builder namespace(String namespace) {
            this.namespace = Namespace.of(namespace).name();
            return this;
        }

        /** The key column(s), in key order: one gives its value as the key, several a composite key. */
        public Builder key(String... columns) {
            return key(List.of(columns));
        }

        /** As {@link #key(String...)}. */
        public Builder key(List<String> columns) {
            this.keys = List.copyOf(columns);
            return this;
        }

        /** The replication slot (default {@code statecast_<namespace>}). */
        public Builder slot(String name) {
            this.slot = name;
            return this;
        }

        /** The publication (default: the slot's name); created for the table when missing. */
        public Builder publication(String name) {
            this.publication = name;
            return this;
        }

        /** Map columns onto this schema by field name instead of deriving one from the columns. */
        public Builder valueSchema(Schema schema) {
            this.valueSchema = schema;
            return this;
        }

        /** Capture the table as an outbox: each row goes to the namespace of its aggregate type. */
        public Builder outbox(OutboxTable outbox) {
            this.outbox = outbox;
            return this;
        }

        /** Kafka client properties (bootstrap.servers, security), passed through. */
        public Builder kafka(Map<String, ?> properties) {
            kafka.putAll(properties);
            return this;
        }

        /** The compacted topic of the engine's offsets (default {@code statecast.capture-offsets}). */
        public Builder offsetsTopic(String topic) {
            this.offsetsTopic = topic;
            return this;
        }

        /**
         * How often the engine's offsets are flushed to the offsets topic, and the slot's confirmed LSN follows
         * (default 1 s): a restart replays the changes written since the last flush (the materializer drops them),
         * and the slot keeps the WAL since then.
         */
        public Builder offsetFlushInterval(Duration interval) {
            this.offsetFlushInterval = interval;
            return this;
        }

        /** Changes larger than this become TOO_LARGE rejections (default 1,000,000 bytes, under Kafka's 1 MB). */
        public Builder maxChangeBytes(int bytes) {
            this.maxChangeBytes = bytes;
            return this;
        }

        /** The clock of {@code clientTimestamp}. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The capture, not started.
         *
         * @throws CaptureException when a required setting is missing
         */
        public PostgresCapture build() {
            require(jdbcUrl != null, "--jdbc-url is required");
            require(user != null, "--user is required");
            require(table != null, "--table is required");
            require(kafka.containsKey("bootstrap.servers"), "bootstrap.servers is required");
            require(outbox != null || namespace != null, "--namespace is required (unless --outbox)");
            require(outbox != null || !keys.isEmpty(), "--key is required: the column(s) that identify a row");
            require(outbox != null || slot != null || namespace != null, "--slot is required");
            require(outbox == null || slot != null, "--slot is required with --outbox");
            require(
                    offsetFlushInterval != null && offsetFlushInterval.toMillis() > 0,
                    "the offset flush interval must be positive");
            // An outbox row's namespace is its aggregate_type: a --namespace or --key would be silently ignored.
            require(
                    outbox == null || namespace == null && keys.isEmpty() && valueSchema == null,
                    "--namespace, --key and a --value-schema without TYPE= do not go with --outbox: each row goes to"
                            + " the namespace of its aggregate_type, keyed by aggregate_id");
            return new PostgresCapture(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw CaptureException.config(message);
            }
        }
    }
}
