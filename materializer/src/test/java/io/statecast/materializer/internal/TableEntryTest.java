package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableEntryTest {

    @Test
    void aDeletedRowKeepsItsVersionSourceOrderAndDeletionTime() {
        TableEntry e = TableEntry.decode(new TableEntry(7, null, new SourceOrder(100, 2), 1_700_000_000_000L).encode());
        assertEquals(7, e.version());
        assertNull(e.value());
        assertEquals(new SourceOrder(100, 2), e.source());
        assertEquals(1_700_000_000_000L, e.deletedAt());
        assertEquals(
                1_700_000_000_000L,
                TableEntry.decode(new TableEntry(3, null, null, 1_700_000_000_000L).encode())
                        .deletedAt());
    }

    @Test
    void aLiveRowHasNoDeletionTimeAndKeepsItsBytes() {
        byte[] v = "value".getBytes(StandardCharsets.UTF_8);
        TableEntry e = TableEntry.decode(new TableEntry(2, v, null, 55).encode());
        assertArrayEquals(v, e.value());
        assertEquals(-1, e.deletedAt());
    }

    @Test
    void aDeletedRowOfBeforeDeletionTimesHasNone() {
        byte[] old = ByteBuffer.allocate(9).putLong(4).put((byte) 0).array();
        TableEntry e = TableEntry.decode(old);
        assertEquals(4, e.version());
        assertEquals(-1, e.deletedAt());
        assertArrayEquals(old, e.encode(), "a row without a deletion time is written as before");
    }
}
