package io.statecast.materializer.internal;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * A value bound for an explicit partition: state records go to the partition of the change they
 * apply (co-partitioning holds even for a change a producer wrote to a partition by hand), checksums
 * and progress marks to the partition they describe. {@code bytes} null is a tombstone.
 */
public record Routed(int partition, byte[] bytes) {

    /** Writes {@link #bytes()}. */
    public static final Serializer<Routed> SERIALIZER = (topic, r) -> r == null ? null : r.bytes();

    /** Sends each record to {@link #partition()}. */
    public static final StreamPartitioner<byte[], Routed> PARTITIONER =
            (topic, key, value, numPartitions) -> Optional.of(Set.of(value.partition()));
}
