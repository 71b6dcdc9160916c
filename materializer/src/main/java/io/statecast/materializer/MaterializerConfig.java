package io.statecast.materializer;

import io.statecast.common.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The materializer's settings, each defined once (type, default, validator, doc). Loaded from a
 * properties file, then the environment ({@code STATECAST_CHECKSUM_INTERVAL_MS} for
 * {@code checksum.interval.ms}), then explicit overrides (CLI flags). Every key that is not ours
 * passes through to Kafka Streams (e.g. {@code num.stream.threads}, security settings).
 */
public final class MaterializerConfig extends AbstractConfig {
    public static final String NAMESPACE = "namespace";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CHECKSUM_INTERVAL_MS = "checksum.interval.ms";
    public static final String MAX_PAYLOAD_BYTES = "max.payload.bytes";
    public static final String HISTORY = "history";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_HOST = "http.host";
    public static final String STATE_DIR = "state.dir";
    public static final String APPLICATION_ID = "application.id";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String SLICE_PROGRESS_INTERVAL_MS = "slice.progress.interval.ms";
    public static final String SLICE_BACKFILL_BATCH = "slice.backfill.batch";
    public static final String DIGEST_VERSION = "digest.version";
    public static final String CHANGES_MIN_WINDOW_MS = "changes.min.window.ms";

    /** The definition of every key (the README's table is checked against it). */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    NAMESPACE,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Namespace whose <ns>.changes are materialized into <ns>.state.")
            .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", Importance.HIGH, "Kafka bootstrap servers.")
            .define(
                    APPLICATION_ID,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Kafka Streams application id; empty means statecast-materializer-<namespace>. Instances with the same id share the partitions.")
            .define(
                    CHECKSUM_INTERVAL_MS,
                    Type.LONG,
                    10_000L,
                    Range.atLeast(100),
                    Importance.MEDIUM,
                    "Interval between checksums of each state partition (wall clock).")
            .define(
                    MAX_PAYLOAD_BYTES,
                    Type.INT,
                    1 << 20,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Changes larger than this (bytes) are rejected with TOO_LARGE.")
            .define(
                    HISTORY,
                    Type.STRING,
                    "auto",
                    ConfigDef.ValidString.in("auto", "true", "false"),
                    Importance.LOW,
                    "Write every accepted change to <ns>.history: auto = when that topic exists.")
            .define(
                    HTTP_PORT,
                    Type.INT,
                    8080,
                    Range.between(0, 65535),
                    Importance.MEDIUM,
                    "Port of /health, /ready, /metrics, /state/{key} and POST /checksums; 0 = a free port; -1 is not allowed.")
            .define(
                    HTTP_HOST,
                    Type.STRING,
                    "127.0.0.1",
                    Importance.LOW,
                    "Address the HTTP server binds to and advertises to the other instances (application.server).")
            .define(
                    STATE_DIR,
                    Type.STRING,
                    "/tmp/statecast-materializer",
                    Importance.MEDIUM,
                    "Directory of the local state stores (RocksDB).")
            .define(
                    COMMIT_INTERVAL_MS,
                    Type.LONG,
                    100L,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Kafka Streams commit interval: how long accepted changes wait before consumers can see them.")
            .define(
                    SLICE_PROGRESS_INTERVAL_MS,
                    Type.LONG,
                    1_000L,
                    Range.atLeast(10),
                    Importance.LOW,
                    "At most this often, a progress mark to each slice partition whose last record is behind the last processed change (read-your-writes on slice views).")
            .define(
                    SLICE_BACKFILL_BATCH,
                    Type.INT,
                    5_000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Table rows each task projects per tick (200 ms) when it back-fills a slice added to a populated namespace; bounds one transaction.")
            .define(
                    DIGEST_VERSION,
                    Type.INT,
                    2,
                    Range.between(1, 2),
                    Importance.LOW,
                    "Digest version of the checksums (docs/protocol.md): 2 = XXH3-128, 1 = MurmurHash3 for views and auditors of releases before version 2. A change sums each partition again once, from its table.")
            .define(
                    CHANGES_MIN_WINDOW_MS,
                    Type.LONG,
                    86_400_000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "The materializer refuses to start when <ns>.changes may drop a change sooner than this after it was written (retention.ms, or min.compaction.lag.ms of a compacted topic): it could lose changes it has not processed.");

    private final Map<String, Object> passThrough;

    public MaterializerConfig(Map<String, ?> props) {
        super(DEFINITION, props, false);
        Map<String, Object> rest = new HashMap<>();
        props.forEach((k, v) -> {
            if (!DEFINITION.names().contains(k)) {
                rest.put(k, v);
            }
        });
        this.passThrough = Map.copyOf(rest);
    }

    /** File, then environment ({@code STATECAST_*}), then overrides; later sources win. */
    public static MaterializerConfig load(Path file, Map<String, String> env, Map<String, ?> overrides) {
        Map<String, Object> props = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new ConfigurationException("Cannot read config file " + file + ": " + e.getMessage(), e);
            }
            p.forEach((k, v) -> props.put(k.toString(), v));
        }
        for (String key : DEFINITION.names()) {
            String value = env.get(envName(key));
            if (value != null) {
                props.put(key, value);
            }
        }
        props.putAll(overrides);
        try {
            return new MaterializerConfig(props);
        } catch (ConfigException e) {
            throw new ConfigurationException("Invalid materializer configuration: " + e.getMessage(), e);
        }
    }

    /** The environment variable of a key: {@code checksum.interval.ms} → {@code STATECAST_CHECKSUM_INTERVAL_MS}. */
    public static String envName(String key) {
        return "STATECAST_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public String namespace() {
        return getString(NAMESPACE);
    }

    public String applicationId() {
        String id = getString(APPLICATION_ID);
        return id.isEmpty() ? "statecast-materializer-" + namespace() : id;
    }

    /** Settings that are not ours, for Kafka Streams. */
    public Map<String, Object> passThrough() {
        return passThrough;
    }
}
