package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PartitionMetaTest {

    @Test
    void roundTripsEveryField() {
        Digest d = new Digest();
        d.add("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        PartitionMeta m = PartitionMeta.decode(new PartitionMeta(d, 41, 40, 39).encode());
        assertEquals(d.value(), m.digest.value());
        assertEquals(d.version(), m.digest.version());
        Digest v1 = new Digest(EntryHash.V1);
        assertEquals(
                1,
                PartitionMeta.decode(new PartitionMeta(v1, 1, 1, 1).encode())
                        .digest
                        .version());
        assertEquals(41, m.lastSrcOffset);
        assertEquals(40, m.coveredSrcOffset);
        assertEquals(39, m.stateSrcOffset);
        assertEquals(0, m.versionFloor);
        PartitionMeta floored = new PartitionMeta(d, 41, 40, 39);
        floored.versionFloor = 12;
        assertEquals(12, PartitionMeta.decode(floored.encode()).versionFloor);
    }

    @Test
    void aRowOfBeforeTheVersionFloorHasFloor0() {
        byte[] old = ByteBuffer.allocate(56)
                .putLong(1)
                .putLong(2)
                .putLong(3)
                .putLong(41)
                .putLong(40)
                .putLong(39)
                .putLong(2)
                .array();
        PartitionMeta m = PartitionMeta.decode(old);
        assertEquals(0, m.versionFloor);
        assertEquals(2, m.digest.version());
        assertEquals(39, m.stateSrcOffset);
    }

    @Test
    void aRowWrittenBeforeTheStateSrcOffsetWasKeptDecodesItAsUnknown() {
        byte[] old = ByteBuffer.allocate(40)
                .putLong(1)
                .putLong(2)
                .putLong(3)
                .putLong(41)
                .putLong(40)
                .array();
        PartitionMeta m = PartitionMeta.decode(old);
        assertEquals(41, m.lastSrcOffset);
        assertEquals(40, m.coveredSrcOffset);
        assertEquals(
                PartitionMeta.UNKNOWN,
                m.stateSrcOffset); // its marks carry no sc.stateSrcOffset until the next state record
        assertEquals(1, m.digest.version()); // rows before digest versions hold version 1
        assertEquals(-1, PartitionMeta.empty(EntryHash.V2).stateSrcOffset);
    }

    @Test
    void aRowOfBeforeDigestVersionsHoldsAVersion1Digest() {
        byte[] old = ByteBuffer.allocate(48)
                .putLong(1)
                .putLong(2)
                .putLong(3)
                .putLong(41)
                .putLong(40)
                .putLong(39)
                .array();
        PartitionMeta m = PartitionMeta.decode(old);
        assertEquals(1, m.digest.version());
        assertEquals(39, m.stateSrcOffset);
        assertEquals(new io.statecast.common.DigestValue(1, 2, 3), m.digest.value());
    }
}
