package io.statecast.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

class SlicePartitionerTest {

    @Property(tries = 500)
    void aValueLivesWhereKafkasDefaultPartitionerPutsItsUtf8Bytes(
            @ForAll String value, @ForAll @IntRange(min = 1, max = 1024) int partitions) {
        assertEquals(
                BuiltInPartitioner.partitionForKey(value.getBytes(StandardCharsets.UTF_8), partitions),
                SlicePartitioner.partitionOf(value, partitions));
    }
}
