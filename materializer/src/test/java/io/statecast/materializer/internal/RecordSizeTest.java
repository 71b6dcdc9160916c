package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class RecordSizeTest {

    /** Held to Kafka's own batch writer: never below the batch the broker checks, at most 17 bytes above it (the varints of length and deltas at their largest). */
    @Property(tries = 300)
    void isAnUpperBoundOfTheBatchKafkaWritesWithinTheVarintSlack(
            @ForAll @IntRange(min = -1, max = 70_000) int keyLength,
            @ForAll @IntRange(min = -1, max = 300_000) int valueLength,
            @ForAll @Size(max = 6) List<@StringLength(max = 40) String> headerNames) {
        byte[] key = keyLength < 0 ? null : new byte[keyLength];
        byte[] value = valueLength < 0 ? null : new byte[valueLength];
        Headers headers = new RecordHeaders();
        for (String name : headerNames) {
            headers.add(name, name.isEmpty() ? null : name.getBytes());
        }
        int actual = MemoryRecords.withRecords(
                        Compression.NONE, new SimpleRecord(1_700_000_000_000L, key, value, headers.toArray()))
                .sizeInBytes();
        int bound = RecordSize.of(key, value, headers);
        assertTrue(bound >= actual, bound + " < " + actual);
        assertTrue(bound - actual <= 17, "bound " + bound + " vs actual " + actual);
    }

    @Test
    void varintSizesFollowZigZag() {
        assertEquals(1, RecordSize.varint(-1));
        assertEquals(1, RecordSize.varint(63));
        assertEquals(2, RecordSize.varint(64));
        assertEquals(3, RecordSize.varint(1_048_575));
        assertEquals(4, RecordSize.varint(1_048_576));
        assertEquals(5, RecordSize.varint(Integer.MAX_VALUE));
    }
}
