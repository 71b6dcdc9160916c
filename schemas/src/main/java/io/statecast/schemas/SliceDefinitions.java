package io.statecast.schemas;

import io.statecast.common.Namespace;
import io.statecast.common.SliceNotFoundException;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.MissingTopicException;
import io.statecast.common.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slice definitions of a namespace, as stored in {@code <ns>.slices}: key = slice name (UTF-8),
 * value = {@link SliceDefinition}. The materializer, every view and the audit find the slices there
 * without flags. Definitions are immutable: a record whose key is not its definition's name, an
 * undecodable value or a tombstone is skipped and logged, never trusted.
 */
public final class SliceDefinitions {
    private static final Logger log = LoggerFactory.getLogger(SliceDefinitions.class);

    private SliceDefinitions() {}

    /** Every definition, by name; empty when {@code <ns>.slices} does not exist. */
    public static Map<String, SliceDefinition> read(Map<String, ?> kafkaConfig, Namespace ns, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(kafkaConfig, Map.of("client.id", "statecast-slices-reader"))) {
            return read(consumer, ns, timeout);
        }
    }

    /** The same with a consumer of the caller's (it is assigned to {@code <ns>.slices}). */
    public static Map<String, SliceDefinition> read(
            KafkaConsumer<byte[], byte[]> consumer, Namespace ns, Duration timeout) {
        Map<String, SliceDefinition> out = new TreeMap<>();
        try {
            TopicReader.readAll(consumer, ns.slices(), timeout, r -> accept(out, r));
        } catch (MissingTopicException e) {
            return out; // a namespace created before slices existed: no slices
        }
        return out;
    }

    /** The definition of {@code name}, or a {@link SliceNotFoundException} naming the slices that exist. */
    public static SliceDefinition require(Map<String, SliceDefinition> all, Namespace ns, String name) {
        SliceDefinition d = all.get(name);
        if (d == null) {
            throw new SliceNotFoundException(ns.name(), name, all.keySet());
        }
        return d;
    }

    /** The key of a definition in {@code <ns>.slices}. */
    public static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    static void accept(Map<String, SliceDefinition> out, ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            log.warn("Ignoring a tombstone for slice {} in {}: slice definitions cannot be removed", key, r.topic());
            return;
        }
        try {
            SliceDefinition d = Envelopes.sliceDefinition().decode(r.value());
            if (!d.getName().equals(key)) {
                log.warn(
                        "Ignoring {}@{}: key {} is not the definition's name {}",
                        r.topic(),
                        r.offset(),
                        key,
                        d.getName());
                return;
            }
            out.putIfAbsent(key, d); // immutable: the first definition of a name wins
        } catch (StatecastException e) {
            log.warn("Ignoring an undecodable slice definition at {}@{}: {}", r.topic(), r.offset(), e.getMessage());
        }
    }
}
