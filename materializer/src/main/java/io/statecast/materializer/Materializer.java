package io.statecast.materializer;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statecast.common.ConfigurationException;
import io.statecast.common.EntryHash;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.materializer.internal.AdminTopicConfigs;
import io.statecast.materializer.internal.ApplyProcessor;
import io.statecast.materializer.internal.ChangesMonitor;
import io.statecast.materializer.internal.ChecksumRequests;
import io.statecast.materializer.internal.Counters;
import io.statecast.materializer.internal.FailurePolicy;
import io.statecast.materializer.internal.HttpEndpoints;
import io.statecast.materializer.internal.PartitionGuard;
import io.statecast.materializer.internal.PayloadValidator;
import io.statecast.materializer.internal.SizeLimits;
import io.statecast.materializer.internal.SliceRegistry;
import io.statecast.materializer.internal.SliceSettings;
import io.statecast.materializer.internal.StartupChecks;
import io.statecast.materializer.internal.StateJson;
import io.statecast.materializer.internal.StatusPage;
import io.statecast.materializer.internal.StoreRebuild;
import io.statecast.materializer.internal.TableEntry;
import io.statecast.materializer.internal.Topology;
import io.statecast.materializer.internal.TopologyNames;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The materializer: a Kafka Streams application (exactly-once v2) that turns {@code <ns>.changes}
 * into the authoritative table, its compacted log {@code <ns>.state}, rejections, checksums and
 * progress marks, and serves {@code /} (a status page), {@code /health}, {@code /ready}, {@code /metrics},
 * {@code /state/{key}} and {@code POST /checksums} over HTTP.
 *
 * <pre>{@code
 * MaterializerConfig config = MaterializerConfig.load(null, System.getenv(),
 *         Map.of("namespace", "k8s", "bootstrap.servers", "localhost:9092"));
 * try (Materializer m = new Materializer(config)) {
 *     m.start();
 *     ...
 * }
 * }</pre>
 */
public final class Materializer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Materializer.class);
    /** Default {@code producer.batch.size} of the application (the producer's own default is 16 KB). */
    static final int PRODUCER_BATCH_BYTES = 64 * 1024;

    private final MaterializerConfig config;
    private final Namespace ns;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counters counters;
    private final ChecksumRequests requests = new ChecksumRequests();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SchemaTopic schemaTopic;
    private SliceRegistry sliceRegistry;
    private KafkaStreams streams;
    private Admin admin;
    private ChangesMonitor monitor;
    private final CompletableFuture<Throwable> halted = new CompletableFuture<>();
    private HttpEndpoints endpoints;
    private HostInfo self;

    public Materializer(MaterializerConfig config) {
        this(config, Clock.systemUTC());
    }

    public Materializer(MaterializerConfig config, Clock clock) {
        this.config = config;
        this.ns = Namespace.of(config.namespace());
        this.clock = clock;
        this.counters = new Counters(registry, ns.name());
    }

    /** Checks the topics (co-partitioning), starts the HTTP server and the Streams application. */
    public synchronized Materializer start() {
        Map<String, Object> kafka = kafkaConfig();
        admin = KafkaClients.admin(kafka);
        StartupChecks.Topics topics = StartupChecks.topics(admin, ns, config.getString(MaterializerConfig.HISTORY));
        boolean history = topics.history();
        StartupChecks.partitionsUnchanged(kafka, ns, topics.partitions());
        long window = StartupChecks.changesWindow(admin, ns, config.getLong(MaterializerConfig.CHANGES_MIN_WINDOW_MS));
        schemaTopic = SchemaTopic.open(kafka, ns);
        SchemaResolver resolver = SchemaResolver.withTopic(schemaTopic);
        sliceRegistry = new SliceRegistry(kafka, ns, resolver).start();
        startHttp();
        Properties props = streamsProperties(kafka);
        Set<Integer> populated = rebuildStores(kafka, topics.partitions(), new StreamsConfig(props));
        StartupChecks.changesPositions(kafka, admin, ns, config.applicationId(), topics.partitions());
        SizeLimits limits = SizeLimits.forProducer(
                        ns,
                        config.getInt(MaterializerConfig.MAX_PAYLOAD_BYTES),
                        new StreamsConfig(props).getProducerConfigs("statecast-limits"),
                        new AdminTopicConfigs(admin),
                        clock)
                .load(history);
        long checksumMs = config.getLong(MaterializerConfig.CHECKSUM_INTERVAL_MS);
        ApplyProcessor.Settings settings = new ApplyProcessor.Settings(
                new ApplyProcessor.Timing(
                        clock,
                        Duration.ofMillis(checksumMs),
                        Duration.ofMillis(Math.min(200, checksumMs)),
                        EntryHash.forVersion(config.getInt(MaterializerConfig.DIGEST_VERSION)),
                        StartupChecks.stateDeleteRetention(admin, ns)),
                new ApplyProcessor.Payloads(limits, new PayloadValidator(resolver)),
                history,
                requests,
                counters,
                new PartitionGuard(
                        ns.changes(),
                        topics.partitions(),
                        populated,
                        () -> StartupChecks.partitionCount(admin, ns.changes())));
        streams = new KafkaStreams(Topology.build(ns, settings, sliceSettings(settings)), props);
        streams.setUncaughtExceptionHandler(new FailurePolicy(ns.name(), limits::refresh, clock, halted::complete));
        new KafkaStreamsMetrics(streams).bindTo(registry);
        streams.start();
        monitor = new ChangesMonitor(kafka, ns, config.applicationId(), topics.partitions(), window, registry, clock)
                .start(this::halt);
        log.info(
                "[materializer ns={}] started: application.id={}, http={}:{}, history={}",
                ns,
                config.applicationId(),
                self.host(),
                self.port(),
                history);
        return this;
    }

    // A store without a meta row for a partition whose state log holds records is rebuilt from the log first.
    private Set<Integer> rebuildStores(Map<String, Object> kafka, int partitions, StreamsConfig streamsConfig) {
        int rf = streamsConfig.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG);
        Map<String, String> topicConfigs = new HashMap<>();
        streamsConfig.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX).forEach((k, v) -> topicConfigs.put(k, "" + v));
        EntryHash hash = EntryHash.forVersion(config.getInt(MaterializerConfig.DIGEST_VERSION));
        return new StoreRebuild(kafka, ns, config.applicationId(), admin, hash)
                .run(partitions, rf < 0 ? Optional.empty() : Optional.of((short) rf), topicConfigs);
    }

    private SliceSettings sliceSettings(ApplyProcessor.Settings settings) {
        return new SliceSettings(
                sliceRegistry::active,
                clock,
                settings.timing().checksumInterval(),
                Duration.ofMillis(config.getLong(MaterializerConfig.SLICE_PROGRESS_INTERVAL_MS)),
                settings.timing().tick(),
                requests,
                counters,
                config.getInt(MaterializerConfig.SLICE_BACKFILL_BATCH));
    }

    /**
     * Completes with the failure when this instance halts (a failure that would repeat on every retry, see
     * docs/materializer.md): its Streams state is then ERROR and {@code /health} answers 503.
     */
    public CompletableFuture<Throwable> halted() {
        return halted;
    }

    // A failure found outside the stream threads (partitions added): stop processing at once, then tell.
    private void halt(Throwable e) {
        if (halted.complete(e)) {
            log.error("[materializer ns={}] halting: {}", ns, e.getMessage());
            Thread t =
                    new Thread(() -> streams.close(Duration.ofSeconds(30)), "statecast-materializer-" + ns + "-halt");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The Kafka Streams state (RUNNING once partitions are assigned and restored). */
    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** The Kafka Streams application id: the materializer's consumer group. */
    public String applicationId() {
        return config.applicationId();
    }

    /** The bound HTTP port. */
    public int httpPort() {
        return endpoints.port();
    }

    /** Asks every task of this instance to emit a checksum now. */
    public void requestChecksums() {
        requests.request();
    }

    /** What this instance counted so far: accepted, no-ops, replays, checksums, progress marks, rejections. */
    public MaterializerCounts counts() {
        return counters.snapshot();
    }

    /** Prometheus text of every metric, Kafka Streams' included. */
    public String scrapeMetrics() {
        return registry.scrape();
    }

    /** The key's current row as JSON, from whichever instance owns it; status 404 when absent or deleted. */
    public HttpReply stateOf(String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        KeyQueryMetadata md = streams.queryMetadataForKey(
                TopologyNames.TABLE_STORE, Bytes.wrap(keyBytes), Serdes.Bytes().serializer());
        if (md == null || md.activeHost() == null || md.activeHost().equals(HostInfo.unavailable())) {
            return new HttpReply(503, "text/plain", "no instance owns this key right now; retry\n");
        }
        if (!md.activeHost().equals(self)) {
            return fetchFrom(md.activeHost(), key);
        }
        ReadOnlyKeyValueStore<Bytes, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                TopologyNames.TABLE_STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
        byte[] row = store.get(Bytes.wrap(keyBytes));
        TableEntry entry = row == null ? null : TableEntry.decode(row);
        if (entry == null || !entry.live()) {
            return new HttpReply(
                    404,
                    "application/json",
                    "{\"key\":" + StateJson.quote(key) + ",\"found\":false"
                            + (entry == null ? "" : ",\"deletedAtVersion\":" + entry.version()) + "}\n");
        }
        return new HttpReply(
                200,
                "application/json",
                StateJson.of(key, md.partition(), entry, SchemaResolver.withTopic(schemaTopic), self) + "\n");
    }

    private HttpReply fetchFrom(HostInfo owner, String key) {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + "/state/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new HttpReply(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"), r.body());
        } catch (IOException e) {
            return new HttpReply(502, "text/plain", "owner " + owner + " did not answer: " + e.getMessage() + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HttpReply(503, "text/plain", "interrupted\n");
        }
    }

    private void startHttp() {
        try {
            endpoints = new HttpEndpoints(
                    config.getString(MaterializerConfig.HTTP_HOST),
                    config.getInt(MaterializerConfig.HTTP_PORT),
                    () -> streams != null && streams.state() != KafkaStreams.State.ERROR && !halted.isDone(),
                    () -> streams != null && streams.state() == KafkaStreams.State.RUNNING,
                    registry,
                    this::stateOf,
                    this::requestChecksums);
        } catch (java.net.BindException e) {
            throw new ConfigurationException(
                    "Cannot start the HTTP server on "
                            + config.getString(MaterializerConfig.HTTP_HOST) + ":"
                            + config.getInt(MaterializerConfig.HTTP_PORT)
                            + ": " + e.getMessage() + "; choose another port (--http-port, http.port)",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start the HTTP server on port " + config.getInt(MaterializerConfig.HTTP_PORT), e);
        }
        self = new HostInfo(config.getString(MaterializerConfig.HTTP_HOST), endpoints.port());
        endpoints.statusPage(this::statusPage);
    }

    /** The page at {@code /}: {@link NamespaceStatus} as HTML, read from the cluster on each request. */
    private HttpReply statusPage() {
        try {
            NamespaceStatus s = StatusReader.read(kafkaConfig(), ns, config.applicationId(), clock);
            return new HttpReply(200, "text/html; charset=utf-8", StatusPage.html(s));
        } catch (StatecastException e) {
            return new HttpReply(503, "text/plain; charset=utf-8", e.getMessage() + "\n");
        }
    }

    private Map<String, Object> kafkaConfig() {
        Map<String, Object> c = new HashMap<>(config.passThrough());
        c.put("bootstrap.servers", config.getString(MaterializerConfig.BOOTSTRAP_SERVERS));
        return c;
    }

    private Properties streamsProperties(Map<String, Object> kafka) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(MaterializerConfig.STATE_DIR));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(MaterializerConfig.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        // Only the meta store is cached (one row per partition); the table store is not.
        p.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1024 * 1024);
        // Batches of 64 KB instead of 16: every new batch wakes the producer's sender, which then scans every
        // partition the transaction holds; a commit interval fills several batches of each state and
        // changelog partition. 64 KB x 256 slice partitions stays within the producer's buffer.memory.
        if (!p.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) { // a user's batch.size wins over this default
            p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        }
        // The topology has no global store, so this changes nothing but the WARN that Kafka Streams 4.3 logs
        // at every start while it is off (it becomes the default in 5.0).
        p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return p;
    }

    /** Stops the application within {@code timeout} (graceful: the open transaction commits or aborts). */
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (monitor != null) {
            monitor.close();
        }
        if (streams != null) {
            streams.close(timeout);
        }
        if (endpoints != null) {
            endpoints.close();
        }
        if (sliceRegistry != null) {
            sliceRegistry.close();
        }
        if (schemaTopic != null) {
            schemaTopic.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        registry.close();
        log.info("[materializer ns={}] stopped", ns);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Header value helper for tests and tools: the version on a state record. */
    static long versionOf(org.apache.kafka.common.header.Headers headers) {
        return StatecastHeaders.readLong(headers, StatecastHeaders.VERSION, -1);
    }
}
