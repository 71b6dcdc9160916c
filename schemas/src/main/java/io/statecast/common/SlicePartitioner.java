package io.statecast.common;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a slice value lives: partition {@code toPositive(murmur2(UTF-8 bytes of the value)) % partitions},
 * the hash of Kafka's default partitioner, so any Kafka client can compute it (murmur2 with seed
 * {@code 0x9747b28c}, {@code toPositive(x) = x & 0x7fffffff}).
 */
public final class SlicePartitioner {
    private SlicePartitioner() {}

    /** The slice partition of {@code value} in a slice of {@code partitions} partitions. */
    public static int partitionOf(String value, int partitions) {
        return Utils.toPositive(Utils.murmur2(value.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
