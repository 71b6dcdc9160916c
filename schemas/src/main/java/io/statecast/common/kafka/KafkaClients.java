package io.statecast.common.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place Statecast builds Kafka clients from a user's configuration. User properties
 * (security, {@code client.id}, {@code client.rack}, quotas…) pass through untouched; only the
 * settings our protocols depend on are forced.
 */
public final class KafkaClients {
    private KafkaClients() {}

    /** An admin client over the user's configuration. */
    public static Admin admin(Map<String, ?> config) {
        return Admin.create(copy(config));
    }

    /**
     * A byte-array consumer with no group: {@code assign()} only, no committed offsets,
     * {@code read_committed} so that aborted transactions are never seen.
     */
    public static KafkaConsumer<byte[], byte[]> consumer(Map<String, ?> config, Map<String, ?> overrides) {
        Map<String, Object> c = copy(config);
        c.putAll(overrides);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A byte-array consumer of the consumer group {@code groupId}, {@code read_committed}, committing nothing by
     * itself: for a reader that commits its offsets inside its own producer's transactions (exactly once).
     */
    public static KafkaConsumer<byte[], byte[]> groupConsumer(
            Map<String, ?> config, String groupId, Map<String, ?> overrides) {
        Map<String, Object> c = copy(config);
        c.putAll(overrides);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An idempotent byte-array producer with {@code acks=all}. */
    public static KafkaProducer<byte[], byte[]> producer(Map<String, ?> config, Map<String, ?> overrides) {
        Map<String, Object> c = copy(config);
        c.putAll(overrides);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, Object> copy(Map<String, ?> config) {
        return new HashMap<>(config);
    }
}
