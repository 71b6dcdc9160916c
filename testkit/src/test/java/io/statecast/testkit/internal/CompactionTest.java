package io.statecast.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CompactionTest {

    @Test
    void countsEveryRecordWhoseKeyAppearsAgainInItsPartition() {
        List<ConsumerRecord<byte[], byte[]>> records =
                List.of(record(0, "a"), record(0, "a"), record(0, "a"), record(0, "b"));
        assertEquals(2, Compaction.duplicateKeys(records));
    }

    @Test
    void theSameKeyInTwoPartitionsIsNotSuperseded() {
        assertEquals(0, Compaction.duplicateKeys(List.of(record(0, "a"), record(1, "a"))));
    }

    @Test
    void rollMarkersAndNullKeysAreIgnored() {
        String marker = Compaction.MARKER_PREFIX + "0";
        assertEquals(
                0,
                Compaction.duplicateKeys(
                        List.of(record(0, marker), record(0, marker), record(0, null), record(0, null))));
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, String key) {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("t", partition, 0L, k, new byte[0]);
    }
}
