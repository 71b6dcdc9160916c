package io.statecast.materializer.internal;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A value bound for an explicit partition: state records go to the partition of the change they
 * apply (co-partitioning holds even for a change a producer wrote to a partition by hand), checksums
 * and progress marks to the partition they describe, slice records to the partition of their slice
 * value. {@code bytes} null is a tombstone; {@code topic} names the topic of a sink whose topics are
 * chosen per record (the slices'), null for the others.
 */
public record Routed(int partition, byte[] bytes, String topic) {

    /** A value for a sink with a fixed topic. */
    public Routed(int partition, byte[] bytes) {
        this(partition, bytes, null);
    }

    /** Writes {@link #bytes()}. */
    public static final Serializer<Routed> SERIALIZER = (topic, r) -> r == null ? null : r.bytes();

    /** Sends each record to {@link #partition()}. */
    public static final StreamPartitioner<byte[], Routed> PARTITIONER =
            (topic, key, value, numPartitions) -> Optional.of(Set.of(value.partition()));

    /** Sends each record to {@link #topic()}. */
    public static final TopicNameExtractor<byte[], Routed> TOPIC = (key, value, context) -> value.topic();
}
