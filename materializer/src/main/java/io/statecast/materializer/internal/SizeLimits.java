package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How large a change and each record the materializer writes may be. A change is checked against
 * {@code max.payload.bytes}; every output record (state, history, slice, rejection) against its topic's
 * limit, the smaller of the producer's {@code max.request.size} and the topic's {@code max.message.bytes},
 * less a margin when the producer compresses (an incompressible value can grow by a little). A record
 * over it would fail the exactly-once task on every retry, so it is found before anything is forwarded.
 * Topic limits are read on first use, again after {@link #MAX_AGE_MS}, and on {@link #refresh()}.
 */
public final class SizeLimits {
    private static final Logger log = LoggerFactory.getLogger(SizeLimits.class);
    /** How long a topic's limit is trusted before it is read again. */
    static final long MAX_AGE_MS = 60_000;
    /** Below this size (key, twice the change, this slack) no output can come near a limit: no exact check. */
    private static final int SLACK = 4096;
    /** The producer's default {@code max.request.size}. */
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    /** Reads {@code max.message.bytes} of topics. */
    @FunctionalInterface
    public interface TopicConfigs {
        Map<String, Integer> maxMessageBytes(Collection<String> topics);
    }

    private final Namespace ns;
    private final int maxPayloadBytes;
    private final int maxRequestSize;
    private final boolean compressed;
    private final TopicConfigs configs;
    private final Clock clock;
    private final Map<String, Integer> topicLimits = new ConcurrentHashMap<>();
    private volatile long readAt;
    private volatile int smallest = Integer.MAX_VALUE;

    /**
     * @param maxRequestSize the Streams producer's {@code max.request.size}
     * @param compressed whether that producer compresses ({@code compression.type} other than none)
     */
    public SizeLimits(
            Namespace ns,
            int maxPayloadBytes,
            int maxRequestSize,
            boolean compressed,
            TopicConfigs configs,
            Clock clock) {
        this.ns = ns;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxRequestSize = maxRequestSize;
        this.compressed = compressed;
        this.configs = configs;
        this.clock = clock;
    }

    /**
     * The limits of the Streams producer configured by {@code producerConfigs} (as {@code
     * StreamsConfig#getProducerConfigs} gives them: {@code max.request.size}, {@code compression.type}).
     */
    public static SizeLimits forProducer(
            Namespace ns, int maxPayloadBytes, Map<String, Object> producerConfigs, TopicConfigs configs, Clock clock) {
        Object max = producerConfigs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        Object compression = producerConfigs.get(ProducerConfig.COMPRESSION_TYPE_CONFIG);
        return new SizeLimits(
                ns,
                maxPayloadBytes,
                max == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(max.toString()),
                compression != null && !"none".equals(compression.toString()),
                configs,
                clock);
    }

    /** Largest change accepted ({@code max.payload.bytes}). */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Reads the limits of state, history and rejections now (at start, so a broken config shows early). */
    public SizeLimits load(boolean history) {
        List<String> topics =
                history ? List.of(ns.state(), ns.history(), ns.rejections()) : List.of(ns.state(), ns.rejections());
        read(topics);
        return this;
    }

    /** Whether a record of about {@code bytes} may be over some topic's limit (else no exact check is needed). */
    boolean mayExceed(long bytes) {
        return bytes + SLACK >= Math.min(smallest, maxRequestSize);
    }

    /** Why this record does not fit {@code topic} (a message naming the sizes), or null when it fits. */
    String check(String topic, String what, byte[] key, byte[] value, Headers headers) {
        int size = RecordSize.of(key, value, headers);
        int limit = limit(topic);
        if (size <= limit) {
            return null;
        }
        return what + " would be " + size + " bytes, over the " + limit + " that " + topic
                + " takes (the smaller of its max.message.bytes and the producer's max.request.size"
                + (compressed ? ", less a margin for compression" : "") + ")";
    }

    /** The largest record {@code topic} takes. */
    int limit(String topic) {
        if (clock.millis() - readAt > MAX_AGE_MS) {
            reread();
        }
        Integer limit = topicLimits.get(topic);
        if (limit == null) {
            read(Set.of(topic));
            limit = topicLimits.get(topic);
        }
        return limit;
    }

    /** The rejections topic's limit. */
    int rejections() {
        return limit(ns.rejections());
    }

    /** {@code <ns>.state}. */
    String state() {
        return ns.state();
    }

    /** {@code <ns>.history}. */
    String history() {
        return ns.history();
    }

    /** Reads every known topic's limit again; true when one changed (a retry may now decide otherwise). */
    public boolean refresh() {
        Map<String, Integer> before = Map.copyOf(topicLimits);
        read(before.keySet());
        return !before.equals(Map.copyOf(topicLimits));
    }

    // A limit that cannot be read again now (brokers unreachable) stays as it was: the next try is later.
    private void reread() {
        try {
            read(Set.copyOf(topicLimits.keySet()));
        } catch (StatecastException e) {
            log.warn("[materializer ns={}] cannot read the topics' max.message.bytes again: {}", ns, e.getMessage());
            readAt = clock.millis();
        }
    }

    private void read(Collection<String> topics) {
        if (!topics.isEmpty()) {
            configs.maxMessageBytes(topics).forEach((t, max) -> topicLimits.put(t, effective(max)));
            smallest = topicLimits.values().stream().min(Integer::compare).orElse(Integer.MAX_VALUE);
        }
        readAt = clock.millis();
    }

    private int effective(int maxMessageBytes) {
        int limit = Math.min(maxMessageBytes, maxRequestSize);
        return compressed ? limit - Math.max(1024, limit / 100) : limit;
    }
}
