package io.statecast.consumer;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastException;
import io.statecast.common.ViewNotReadyException;
import io.statecast.consumer.internal.ViewAccess;
import io.statecast.consumer.internal.ViewEngine;
import io.statecast.consumer.internal.ViewSettings;
import io.statecast.consumer.spi.ValueCompression;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * A local replica of a namespace's authoritative table (or of any compacted topic of Avro records):
 * it bootstraps from the compacted log once, then applies only deltas. Reads are local and thread-safe.
 *
 * <pre>{@code
 * try (StateView<Pod> view = StateView.builder(Pod.class)
 *         .namespace("k8s").kafka(Map.of("bootstrap.servers", servers))
 *         .filter(pod -> "node-7".equals(pod.getNode()))
 *         .index("byNode", Pod::getNode)
 *         .listener("log", change -> log.info("{} -> {}", change.key(), change.newValue()))
 *         .build()) {
 *     view.start();
 *     view.awaitReady(Duration.ofSeconds(30));
 *     Pod p = view.get("default/web-1");
 *     view.await(producer.upsert("default/web-2", pod).join(), Duration.ofSeconds(5)); // read-your-writes
 * }
 * }</pre>
 */
public final class StateView<V> implements AutoCloseable {
    static {
        ViewAccess.grant(view -> ((StateView<?>) view).engine); // for internal test seams only
    }

    private final ViewEngine<V> engine;
    private final ViewSettings<V> settings;
    private final SchemaTopic schemaTopic;

    private StateView(ViewSettings<V> settings, AvroCodec<V> codec, SchemaTopic schemaTopic) {
        this.settings = settings;
        this.schemaTopic = schemaTopic;
        this.engine = new ViewEngine<>(settings, codec);
    }

    /** A view of generated Avro records of {@code type}. */
    public static <V extends SpecificRecord> Builder<V> builder(Class<V> type) {
        return new Builder<>(type, null);
    }

    /** A view of generic records read with {@code readerSchema}. */
    public static Builder<GenericRecord> builder(Schema readerSchema) {
        return new Builder<>(null, java.util.Objects.requireNonNull(readerSchema, "readerSchema"));
    }

    /**
     * A view of generic records, each read with its own writer schema (found in the namespace's schemas
     * topic): for tools that show whatever was written, in whichever version of the schema.
     */
    public static Builder<GenericRecord> builderAsWritten() {
        return new Builder<>(null, null);
    }

    /** Starts the bootstrap on the view's own thread; returns at once. */
    public StateView<V> start() {
        engine.start();
        return this;
    }

    /** Waits until the bootstrap is complete. @throws ViewNotReadyException on timeout */
    public ViewStatus awaitReady(Duration timeout) {
        try {
            return engine.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ViewNotReadyException("Not ready after " + timeout + ": " + status());
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewNotReadyException("Interrupted waiting for the view");
        }
    }

    /** Completes when the bootstrap is complete; fails with {@code ViewFailedException} if the view fails. */
    public CompletableFuture<ViewStatus> ready() {
        return engine.ready();
    }

    /** Bootstrapping (with per-partition progress), ready, stale since when, or failed with a cause. */
    public ViewStatus status() {
        return engine.status();
    }

    /**
     * The value of {@code key}, or null. Every read throws {@code ViewFailedException} once the view failed
     * and {@code ViewClosedException} once it was closed.
     */
    public V get(String key) {
        gate();
        return engine.get(key);
    }

    public boolean contains(String key) {
        gate();
        return engine.contains(key);
    }

    public int size() {
        gate();
        return engine.size();
    }

    /** A consistent copy of every entry. */
    public Map<String, V> snapshot() {
        gate();
        return engine.snapshot();
    }

    /** Visits every entry under one read lock. */
    public void forEach(java.util.function.BiConsumer<String, V> action) {
        gate();
        engine.forEach(action);
    }

    /** The entries whose index {@code name} has {@code value} (e.g. pods by node). */
    public Map<String, V> byIndex(String name, Object value) {
        gate();
        return engine.byIndex(name, value);
    }

    /**
     * Completes once the view reflects the producer's write — accepted, rejected or a no-op (the
     * materializer's progress marks cover the last two). Completes exceptionally when the view fails or is
     * closed first ({@code ViewFailedException}, {@code ViewClosedException}), at once if it already has,
     * and with {@code PartitionNotReadException} when the view does not read the receipt's partition. A
     * caller that gives up cancels the future (or times it out with {@code orTimeout}): the view then
     * forgets the wait.
     */
    public CompletableFuture<Void> await(Receipt receipt) {
        return engine.awaitSrcOffset(receipt.partition(), receipt.offset());
    }

    /** Blocking {@link #await(Receipt)}; a wait that timed out is forgotten. @return false on timeout */
    public boolean await(Receipt receipt, Duration timeout) {
        return ViewEngine.await(await(receipt), timeout);
    }

    /** Counters: entries, bytes, positions, lag, staleness, bootstrap time, applied/skipped, listeners. */
    public ViewStats stats() {
        return engine.stats();
    }

    // A failed or closed view no longer follows the table: it refuses reads rather than serve frozen data.
    private void gate() {
        engine.checkServing();
        if (engine.state() == ViewStatus.State.BOOTSTRAPPING || engine.state() == ViewStatus.State.CREATED) {
            if (settings.config().readPolicy() == ReadPolicy.FAIL_FAST) {
                throw new ViewNotReadyException("The view is still bootstrapping: " + status());
            }
            awaitReady(settings.config().readTimeout());
        }
    }

    /** Stops the view's threads and closes its clients. Idempotent, bounded (~10 s). */
    @Override
    public void close() {
        engine.close();
        if (schemaTopic != null) {
            schemaTopic.close();
        }
    }

    /**
     * Builder of a {@link StateView}. Each option is a key of {@link ViewConfig} (its defaults and
     * validation live there), except the rules, listeners and clock, which are code.
     */
    public static final class Builder<V> {
        private final Class<?> type;
        private final Schema schema;
        private final Map<String, Object> config = new java.util.HashMap<>();
        private final Set<Integer> partitions = new TreeSet<>();
        private Predicate<V> filter;
        private UnaryOperator<V> transform;
        private final Map<String, Function<V, ?>> indexes = new LinkedHashMap<>();
        private final List<Listener<V>> listeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private ValueCompression compression;

        // A listener as added; a null capacity or policy takes the configured default at build time.
        private record Listener<V>(String name, ViewListener<V> listener, Integer capacity, OverflowPolicy policy) {}

        private Builder(Class<?> type, Schema schema) {
            this.type = type;
            this.schema = schema;
        }

        /** View the table of a namespace ({@code <ns>.state}, with versions, srcOffsets and read-your-writes). */
        public Builder<V> namespace(String name) {
            config.put(ViewConfig.NAMESPACE, Namespace.of(name).name());
            return this;
        }

        /** View a plain compacted topic of single-object-encoded records (no versions, no verification). */
        public Builder<V> topic(String name) {
            config.put(ViewConfig.TOPIC, name);
            return this;
        }

        /** Kafka consumer properties, passed through (bootstrap.servers, security, client.id, client.rack...). */
        public Builder<V> kafka(Map<String, ?> properties) {
            config.putAll(properties);
            return this;
        }

        /**
         * Settings by key, e.g. from {@link ViewConfig#load} (a properties file and {@code STATECAST_*}
         * variables): the view's keys and Kafka consumer properties alike. Later calls win.
         */
        public Builder<V> config(ViewConfig settings) {
            config.putAll(settings.originals());
            return this;
        }

        /** Read only these partitions (default: all). */
        public Builder<V> partitions(Set<Integer> chosen) {
            partitions.addAll(chosen);
            config.put(
                    ViewConfig.PARTITIONS,
                    partitions.stream().map(String::valueOf).toList());
            return this;
        }

        /**
         * View one value of a slice of the namespace (see {@code statecast topics add-slice}): the view reads
         * only the slice partition holding {@code value} and keeps, verifies and awaits only its entities.
         * {@link #start()} fails with {@code SliceNotFoundException} when the namespace has no such slice.
         */
        public Builder<V> slice(String name, String value) {
            return slice(name, Set.of(value));
        }

        /** View several values of a slice: the partitions holding them, only their entities. */
        public Builder<V> slice(String name, Set<String> values) {
            config.put(ViewConfig.SLICE, name);
            config.put(ViewConfig.SLICE_VALUES, List.copyOf(new TreeSet<>(values)));
            return this;
        }

        /** Keep only entries that pass (a per-node agent keeps its node's pods; a slice reads only them). */
        public Builder<V> filter(Predicate<V> keep) {
            this.filter = keep;
            return this;
        }

        /** Rewrite each value before storing it (e.g. drop fields the process never reads). */
        public Builder<V> transform(UnaryOperator<V> f) {
            this.transform = f;
            return this;
        }

        /** A secondary index: {@code byIndex(name, value)} finds the entries whose {@code extractor} gives value. */
        public Builder<V> index(String name, Function<V, ?> extractor) {
            indexes.put(name, extractor);
            return this;
        }

        /**
         * A listener with its own thread and a queue of {@code listener.queue.capacity} events (10,000),
         * {@code listener.overflow.policy} ({@link OverflowPolicy#DROP_AND_RESET}).
         */
        public Builder<V> listener(String name, ViewListener<V> listener) {
            listeners.add(new Listener<>(name, listener, null, null));
            return this;
        }

        /** A change listener as a lambda: {@code .listener("log", change -> ...)}. */
        public Builder<V> listener(String name, java.util.function.Consumer<Change<V>> onChange) {
            return listener(name, ViewSettings.onChanges(onChange));
        }

        /** A change listener as a lambda, with its queue capacity and overflow policy. */
        public Builder<V> listener(
                String name,
                java.util.function.Consumer<Change<V>> onChange,
                int queueCapacity,
                OverflowPolicy policy) {
            return listener(name, ViewSettings.onChanges(onChange), queueCapacity, policy);
        }

        /** A listener with its queue capacity and overflow policy. */
        public Builder<V> listener(String name, ViewListener<V> listener, int queueCapacity, OverflowPolicy policy) {
            listeners.add(new Listener<>(name, listener, queueCapacity, policy));
            return this;
        }

        /** What reads do before the view is ready (default {@link ReadPolicy#BLOCK} up to 30 s). */
        public Builder<V> readPolicy(ReadPolicy policy, Duration timeout) {
            config.put(ViewConfig.READ_POLICY, policy.name());
            config.put(ViewConfig.READ_TIMEOUT_MS, timeout.toMillis());
            return this;
        }

        /** The clock of staleness times (tests inject one). */
        public Builder<V> clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** How often the view checks that the brokers answer (default 1 s) and that the topic was not recreated (5 s). */
        public Builder<V> checks(Duration broker, Duration topicId) {
            config.put(ViewConfig.BROKER_CHECK_INTERVAL_MS, broker.toMillis());
            config.put(ViewConfig.TOPIC_CHECK_INTERVAL_MS, topicId.toMillis());
            return this;
        }

        /**
         * Herd control: wait a random time in [0, max) before the bootstrap, so that a fleet started at
         * once (a scale-up) does not fetch the whole state from the brokers at the same moment.
         */
        public Builder<V> startupSplay(Duration max) {
            config.put(ViewConfig.STARTUP_SPLAY_MS, max.toMillis());
            return this;
        }

        /** As {@link #startupSplay(Duration)}, with a seeded draw (tests). */
        public Builder<V> startupSplay(Duration max, long seed) {
            config.put(ViewConfig.STARTUP_SPLAY_SEED, seed);
            return startupSplay(max);
        }

        /**
         * Checksum verification (default on for namespace views): the view compares the materializer's
         * checksums with its own digest, keeping the digest after each of the last {@code historyCapacity}
         * records of each partition; a mismatch re-reads that partition alone.
         */
        public Builder<V> verification(boolean on, int historyCapacity) {
            config.put(ViewConfig.VERIFICATION, on);
            config.put(ViewConfig.VERIFICATION_HISTORY, historyCapacity);
            return this;
        }

        /**
         * Warm restarts: keep a snapshot of the view in {@code dir}, written every {@code interval} and on
         * close; a restart loads it when it is valid and reads only the deltas since.
         */
        public Builder<V> snapshots(java.nio.file.Path dir, Duration interval) {
            config.put(ViewConfig.SNAPSHOT_DIR, dir.toString());
            config.put(ViewConfig.SNAPSHOT_INTERVAL_MS, interval.toMillis());
            return this;
        }

        /**
         * Declares the version of this view's filter and transform: snapshots remember it (and whether
         * there is a filter, a transform, which partitions), and a view of another one does not load them.
         */
        public Builder<V> configVersion(String version) {
            config.put(ViewConfig.CONFIG_VERSION, version);
            return this;
        }

        /** Compact storage, default off: values kept compressed by {@code compression} (see statecast-compact). */
        public Builder<V> valueCompression(ValueCompression compression) {
            this.compression = compression;
            return this;
        }

        /** Validates the settings and builds the view (not started). */
        @SuppressWarnings({"unchecked", "rawtypes"})
        public StateView<V> build() {
            if ((config.get(ViewConfig.NAMESPACE) == null) == (config.get(ViewConfig.TOPIC) == null)) {
                throw new StatecastException("Set exactly one of namespace(...) or topic(...)");
            }
            if (!config.containsKey(ViewConfig.BOOTSTRAP_SERVERS)) {
                throw new StatecastException("Set bootstrap.servers in Builder#kafka");
            }
            ViewConfig c = ViewConfig.parse(config);
            SchemaTopic schemas = c.namespace() == null
                    ? null
                    : SchemaTopic.open(c.consumerProperties(), Namespace.of(c.namespace()));
            SchemaResolver resolver = schemas == null ? SchemaResolver.builtIn() : SchemaResolver.withTopic(schemas);
            AvroCodec<V> codec = type != null
                    ? (AvroCodec<V>) AvroCodec.specific((Class) type, resolver)
                    : schema == null
                            ? (AvroCodec<V>) AvroCodec.asWritten(resolver)
                            : (AvroCodec<V>) AvroCodec.generic(schema, resolver);
            ViewSettings.Rules<V> rules = new ViewSettings.Rules<>(filter, transform, Map.copyOf(indexes));
            return new StateView<>(new ViewSettings<>(c, rules, resolve(c), clock, compression), codec, schemas);
        }

        private List<ViewSettings.NamedListener<V>> resolve(ViewConfig c) {
            return listeners.stream()
                    .map(l -> new ViewSettings.NamedListener<>(
                            l.name(),
                            l.listener(),
                            l.capacity() != null ? l.capacity() : c.listenerQueueCapacity(),
                            l.policy() != null ? l.policy() : c.listenerOverflowPolicy()))
                    .toList();
        }
    }
}
