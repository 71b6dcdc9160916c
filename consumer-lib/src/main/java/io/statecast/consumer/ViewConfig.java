package io.statecast.consumer;

import io.statecast.common.ConfigurationException;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * A view's settings, each key defined once (type, default, validator, doc). {@link StateView.Builder}
 * writes its options as these keys; {@link #load} reads them from a properties file, then the
 * environment ({@code STATECAST_SNAPSHOT_DIR} for {@code snapshot.dir}), then overrides (CLI flags). Keys
 * that are not ours are Kafka consumer properties and pass through untouched ({@code client.id},
 * {@code client.rack}, security settings, …). What cannot be a property — filters, transforms,
 * indexes, listeners, the clock — stays a builder method.
 *
 * <pre>{@code
 * StateView<Pod> view = StateView.builder(Pod.class)
 *         .config(ViewConfig.load(Path.of("view.properties"), System.getenv(), Map.of()))
 *         .filter(pod -> "node-7".equals(pod.getNode()))
 *         .build();
 * }</pre>
 */
public final class ViewConfig extends AbstractConfig {
    public static final String NAMESPACE = "namespace";
    public static final String TOPIC = "topic";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String PARTITIONS = "partitions";
    public static final String SLICE = "slice";
    public static final String SLICE_VALUES = "slice.values";
    public static final String READ_POLICY = "read.policy";
    public static final String READ_TIMEOUT_MS = "read.timeout.ms";
    public static final String BROKER_CHECK_INTERVAL_MS = "broker.check.interval.ms";
    public static final String TOPIC_CHECK_INTERVAL_MS = "topic.check.interval.ms";
    public static final String VERIFICATION = "verification";
    public static final String VERIFICATION_HISTORY = "verification.history.capacity";
    public static final String DIGEST_VERSION = "digest.version";
    public static final String SNAPSHOT_DIR = "snapshot.dir";
    public static final String SNAPSHOT_INTERVAL_MS = "snapshot.interval.ms";
    public static final String CONFIG_VERSION = "config.version";
    public static final String STARTUP_SPLAY_MS = "startup.splay.ms";
    public static final String STARTUP_SPLAY_SEED = "startup.splay.seed";
    public static final String LISTENER_QUEUE_CAPACITY = "listener.queue.capacity";
    public static final String LISTENER_OVERFLOW_POLICY = "listener.overflow.policy";

    /** The definition of every key (the README's table is checked against it). */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    NAMESPACE,
                    Type.STRING,
                    null,
                    ViewConfig::validNamespace,
                    Importance.HIGH,
                    "A Statecast namespace: the view reads <ns>.state, with versions, checksums and read-your-writes. Exactly one of namespace and topic.")
            .define(
                    TOPIC,
                    Type.STRING,
                    null,
                    Importance.HIGH,
                    "A plain compacted topic of single-object-encoded records instead (no versions, no verification).")
            .define(
                    BOOTSTRAP_SERVERS,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Kafka bootstrap servers; passed to the consumer with every key not in this table.")
            .define(
                    PARTITIONS,
                    Type.LIST,
                    List.of(),
                    ViewConfig::validPartitions,
                    Importance.MEDIUM,
                    "Read only these partitions (comma-separated numbers); empty means all.")
            .define(
                    SLICE,
                    Type.STRING,
                    null,
                    ViewConfig::validSlice,
                    Importance.HIGH,
                    "A slice of the namespace (defined in <ns>.slices): the view reads only the partitions of <ns>.slice.<name> holding slice.values, and keeps and verifies only their entries.")
            .define(
                    SLICE_VALUES,
                    Type.LIST,
                    List.of(),
                    Importance.HIGH,
                    "The slice values whose entities the view keeps (comma-separated); required with slice.")
            .define(
                    READ_POLICY,
                    Type.STRING,
                    ReadPolicy.BLOCK.name(),
                    ConfigDef.ValidString.in(names(ReadPolicy.values())),
                    Importance.MEDIUM,
                    "What reads do before the view is ready: BLOCK (up to read.timeout.ms) or FAIL_FAST.")
            .define(
                    READ_TIMEOUT_MS,
                    Type.LONG,
                    30_000L,
                    Range.atLeast(0),
                    Importance.LOW,
                    "How long a BLOCK read waits for the bootstrap.")
            .define(
                    BROKER_CHECK_INTERVAL_MS,
                    Type.LONG,
                    1_000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How often the view checks that the brokers answer (else it is STALE).")
            .define(
                    TOPIC_CHECK_INTERVAL_MS,
                    Type.LONG,
                    5_000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How often the view checks the topic id (a recreated topic is read again).")
            .define(
                    VERIFICATION,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Compare the materializer's checksums with the view's digest (namespace views); a mismatch re-reads that partition.")
            .define(
                    VERIFICATION_HISTORY,
                    Type.INT,
                    4096,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Digests kept per partition (one per record) to compare checksums with.")
            .define(
                    DIGEST_VERSION,
                    Type.INT,
                    2,
                    Range.between(1, 2),
                    Importance.LOW,
                    "Digest version a partition computes from the start (docs/protocol.md); a checksum of the other version makes it follow: summed again, or read again when it holds filtered-out or transformed entries.")
            .define(
                    SNAPSHOT_DIR,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "Directory of the warm-restart snapshot; unset means no snapshots.")
            .define(
                    SNAPSHOT_INTERVAL_MS,
                    Type.LONG,
                    300_000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How often the snapshot is written (and on close).")
            .define(
                    CONFIG_VERSION,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "A version of the view's filter and transform (code): change it when they change, so that a snapshot saved under the old ones is not loaded.")
            .define(
                    STARTUP_SPLAY_MS,
                    Type.LONG,
                    0L,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Herd control: wait a random time in [0, this) before the bootstrap.")
            .define(
                    STARTUP_SPLAY_SEED,
                    Type.LONG,
                    null,
                    Importance.LOW,
                    "Seed of the splay draw (tests); unset means random.")
            .define(
                    LISTENER_QUEUE_CAPACITY,
                    Type.INT,
                    10_000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Queue capacity of a listener added without one.")
            .define(
                    LISTENER_OVERFLOW_POLICY,
                    Type.STRING,
                    OverflowPolicy.DROP_AND_RESET.name(),
                    ConfigDef.ValidString.in(names(OverflowPolicy.values())),
                    Importance.LOW,
                    "Overflow policy of a listener added without one: DROP_AND_RESET or DROP_NEWEST.");

    private final Map<String, Object> consumer;

    /** Parses and validates {@code props}: our keys by {@link #DEFINITION}, every other key kept for the consumer. */
    public ViewConfig(Map<String, ?> props) {
        super(DEFINITION, props, false);
        if ((namespace() == null) == (topic() == null)) {
            throw new ConfigException("Set exactly one of " + NAMESPACE + " or " + TOPIC);
        }
        checkSlice();
        Map<String, Object> c = new HashMap<>();
        props.forEach((k, v) -> {
            if (k.equals(BOOTSTRAP_SERVERS) || !DEFINITION.names().contains(k)) {
                c.put(k, v);
            }
        });
        c.putIfAbsent("enable.metrics.push", false); // KIP-714's ledger: ~75 KB per client of every view
        this.consumer = Map.copyOf(c);
    }

    /**
     * A properties file (may be null), then the environment ({@code STATECAST_*}), then overrides; later
     * sources win. An invalid value is a {@link ConfigurationException} naming the key.
     */
    public static ViewConfig load(Path file, Map<String, String> env, Map<String, ?> overrides) {
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
        return parse(props);
    }

    /** As the constructor, with a configuration error as a {@link ConfigurationException}. */
    public static ViewConfig parse(Map<String, ?> props) {
        try {
            return new ViewConfig(props);
        } catch (ConfigException e) {
            throw new ConfigurationException("Invalid view configuration: " + e.getMessage(), e);
        }
    }

    /** The environment variable of a key: {@code snapshot.dir} → {@code STATECAST_SNAPSHOT_DIR}. */
    public static String envName(String key) {
        return "STATECAST_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The namespace, or null for a plain-topic view. */
    public String namespace() {
        return getString(NAMESPACE);
    }

    /** The plain topic, or null for a namespace view. */
    public String topic() {
        return getString(TOPIC);
    }

    /** The partitions to read; empty means all. */
    public Set<Integer> partitions() {
        Set<Integer> out = new TreeSet<>();
        getList(PARTITIONS).forEach(p -> out.add(Integer.valueOf(p.trim())));
        return Set.copyOf(out);
    }

    /** The slice this view reads, or null for a view of the whole table. */
    public String slice() {
        return getString(SLICE);
    }

    /** The slice values whose entities the view keeps (empty unless {@link #slice()} is set). */
    public Set<String> sliceValues() {
        return Set.copyOf(new TreeSet<>(getList(SLICE_VALUES)));
    }

    private void checkSlice() {
        if (slice() == null) {
            if (!getList(SLICE_VALUES).isEmpty()) {
                throw new ConfigException(SLICE_VALUES + " needs " + SLICE);
            }
            return;
        }
        if (namespace() == null) {
            throw new ConfigException(SLICE + " needs a namespace: a plain topic has no slices");
        }
        if (getList(SLICE_VALUES).isEmpty()) {
            throw new ConfigException(SLICE + " " + slice() + " needs at least one value in " + SLICE_VALUES);
        }
        if (!partitions().isEmpty()) {
            throw new ConfigException(SLICE + " and " + PARTITIONS + " exclude each other: a slice view reads the"
                    + " partitions of its values");
        }
    }

    /** What reads do before the view is ready. */
    public ReadPolicy readPolicy() {
        return ReadPolicy.valueOf(getString(READ_POLICY));
    }

    /** How long a blocking read waits for the bootstrap. */
    public Duration readTimeout() {
        return Duration.ofMillis(getLong(READ_TIMEOUT_MS));
    }

    /** How often the brokers' reachability is checked. */
    public Duration brokerCheckInterval() {
        return Duration.ofMillis(getLong(BROKER_CHECK_INTERVAL_MS));
    }

    /** How often the topic id is checked. */
    public Duration topicCheckInterval() {
        return Duration.ofMillis(getLong(TOPIC_CHECK_INTERVAL_MS));
    }

    /** Whether checksums are verified (namespace views only). */
    public boolean verification() {
        return getBoolean(VERIFICATION);
    }

    /** The digest version a partition computes until a checksum names another one. */
    public int digestVersion() {
        return getInt(DIGEST_VERSION);
    }

    /** Digests kept per partition for comparisons. */
    public int historyCapacity() {
        return getInt(VERIFICATION_HISTORY);
    }

    /** The snapshot directory, or null when warm restarts are off. */
    public Path snapshotDir() {
        String dir = getString(SNAPSHOT_DIR);
        return dir == null || dir.isEmpty() ? null : Path.of(dir);
    }

    /** How often the snapshot is written. */
    public Duration snapshotInterval() {
        return Duration.ofMillis(getLong(SNAPSHOT_INTERVAL_MS));
    }

    /** The declared version of the view's filter and transform, or null when none was declared. */
    public String configVersion() {
        return getString(CONFIG_VERSION);
    }

    /** The bound of the start-up splay. */
    public Duration startupSplay() {
        return Duration.ofMillis(getLong(STARTUP_SPLAY_MS));
    }

    /** The splay's seed, or null for a random draw. */
    public Long startupSplaySeed() {
        return getLong(STARTUP_SPLAY_SEED);
    }

    /** The queue capacity of a listener added without one. */
    public int listenerQueueCapacity() {
        return getInt(LISTENER_QUEUE_CAPACITY);
    }

    /** The overflow policy of a listener added without one. */
    public OverflowPolicy listenerOverflowPolicy() {
        return OverflowPolicy.valueOf(getString(LISTENER_OVERFLOW_POLICY));
    }

    /** The view's Kafka client properties: every key not ours, as given; {@code enable.metrics.push} false if not. */
    public Map<String, Object> consumerProperties() {
        return consumer;
    }

    private static String[] names(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].name();
        }
        return out;
    }

    private static void validNamespace(String name, Object value) {
        if (value == null) {
            return;
        }
        try {
            Namespace.of((String) value);
        } catch (StatecastException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static void validSlice(String name, Object value) {
        if (value == null) {
            return;
        }
        try {
            io.statecast.common.SliceNames.check((String) value);
        } catch (StatecastException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static void validPartitions(String name, Object value) {
        for (Object p : (List<?>) value) {
            try {
                if (Integer.parseInt(p.toString().trim()) < 0) {
                    throw new ConfigException(name, value, "a partition is a number >= 0");
                }
            } catch (NumberFormatException e) {
                throw new ConfigException(name, value, "a partition is a number >= 0");
            }
        }
    }
}
