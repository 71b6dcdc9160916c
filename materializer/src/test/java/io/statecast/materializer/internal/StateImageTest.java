package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import io.statecast.common.StatecastHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class StateImageTest {
    private long offset;

    @Test
    void keepsEachKeysLastVersionBytesAndSourceOrderAndTheDigestOfTheLiveRows() {
        StateImage image = new StateImage();
        image.apply(record("a", "a1", 1, 10, 5L));
        image.apply(record("b", "b1", 1, 11, null));
        image.apply(record("a", "a2", 2, 14, null)); // through the producer API: keeps a's source order
        image.apply(record("b", null, 2, 15, null)); // deleted: the row keeps version 2
        image.apply(record("c", "c1", 1, 17, 9L));

        TableEntry a = image.rows().get(key("a"));
        assertEquals(2, a.version());
        assertArrayEquals(bytes("a2"), a.value());
        assertEquals(new SourceOrder(5, 0), a.source());
        TableEntry b = image.rows().get(key("b"));
        assertFalse(b.live());
        assertEquals(2, b.version());
        assertNull(b.source());
        assertEquals(17, image.stateSrcOffset());

        Digest expected = new Digest(EntryHash.V2);
        expected.add(bytes("a"), bytes("a2"));
        expected.add(bytes("c"), bytes("c1"));
        assertEquals(expected.value(), image.digest(EntryHash.V2).value());
        PartitionMeta meta = image.meta(EntryHash.V2, 20, 18, 7);
        assertEquals(20, meta.lastSrcOffset, "the last rejected change after the last record counts");
        assertEquals(18, meta.coveredSrcOffset);
        assertEquals(17, meta.stateSrcOffset);
        assertEquals(7, meta.versionFloor, "the floor of purged rows the last mark carried");
        assertEquals(17, image.meta(EntryHash.V1, -1, -1, 0).lastSrcOffset, "at least the last state record");
    }

    @Test
    void ignoresRecordsWithoutTheMaterializersHeaders() {
        StateImage image = new StateImage();
        image.apply(new ConsumerRecord<>("s", 0, 0, bytes("x"), bytes("v")));
        assertEquals(0, image.rows().size());
        assertEquals(-1, image.stateSrcOffset());
    }

    private ConsumerRecord<byte[], byte[]> record(String key, String value, long version, long src, Long position) {
        RecordHeaders h = new RecordHeaders();
        h.add(StatecastHeaders.VERSION, StatecastHeaders.encodeLong(version));
        h.add(StatecastHeaders.SRC_OFFSET, StatecastHeaders.encodeLong(src));
        if (position != null) {
            h.add(StatecastHeaders.SOURCE_POSITION, StatecastHeaders.encodeLong(position));
            h.add(StatecastHeaders.SOURCE_SEQUENCE, StatecastHeaders.encodeLong(0));
        }
        return new ConsumerRecord<>(
                "s",
                0,
                offset++,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                bytes(key),
                value == null ? null : bytes(value),
                h,
                Optional.empty());
    }

    private static Bytes key(String k) {
        return Bytes.wrap(bytes(k));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
