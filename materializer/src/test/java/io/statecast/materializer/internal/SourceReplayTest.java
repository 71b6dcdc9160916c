package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Op;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SourcePosition;
import io.statecast.schemas.demo.Node;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The source-position rule: a captured change not newer than the key's last applied one is a replay. */
class SourceReplayTest {
    private static final PayloadValidator ANY = new PayloadValidator(SchemaResolver.builtIn());
    private static final byte[] NODE = AvroCodec.specific(Node.class, SchemaResolver.builtIn())
            .encode(Node.newBuilder()
                    .setName("n1")
                    .setZone("z1")
                    .setCpuMillis(1)
                    .setMemoryBytes(1)
                    .setJoinedAt(Instant.EPOCH)
                    .build());

    @Test
    void aChangeAtOrBeforeTheKeysLastSourcePositionIsAReplay() {
        TableEntry row = new TableEntry(3, new byte[] {1}, new SourceOrder(100, 7));
        assertTrue(Validation.check(upsert(position(100, 7)), row, ANY).replay(), "the same position");
        assertTrue(Validation.check(upsert(position(100, 6)), row, ANY).replay(), "earlier in the same transaction");
        assertTrue(Validation.check(upsert(position(99, 500)), row, ANY).replay(), "an earlier transaction");
        assertFalse(Validation.check(upsert(position(100, 8)), row, ANY).replay(), "later in the transaction");
        assertFalse(Validation.check(upsert(position(101, 0)), row, ANY).replay(), "a later transaction");
    }

    @Test
    void aReplayedDeleteOfADeletedKeyIsAReplayNotARejection() {
        TableEntry deleted = new TableEntry(4, null, new SourceOrder(200, 3));
        Validation.Outcome o = Validation.check(delete(position(200, 3)), deleted, ANY);
        assertTrue(o.replay());
        assertFalse(o.rejected());
        Validation.Outcome fresh = Validation.check(delete(position(201, 1)), deleted, ANY);
        assertEquals(RejectionReason.DELETE_OF_ABSENT_KEY, fresh.reason(), "a new delete of a deleted key");
    }

    @Test
    void changesWithoutSourcePositionAndKeysWithoutOneAreNeverReplays() {
        TableEntry captured = new TableEntry(1, new byte[] {1}, new SourceOrder(100, 1));
        assertFalse(Validation.check(upsert(null), captured, ANY).replay(), "a producer-API change");
        TableEntry plain = new TableEntry(1, new byte[] {1});
        assertFalse(Validation.check(upsert(position(1, 1)), plain, ANY).replay(), "a key written by producers");
        assertFalse(Validation.check(upsert(position(1, 1)), null, ANY).replay(), "a new key");
    }

    @Test
    void rowsKeepTheirSourceOrderAndOldRowsReadWithout() {
        for (TableEntry e : new TableEntry[] {
            new TableEntry(9, new byte[] {5, 6}, new SourceOrder(Long.MAX_VALUE, -1)),
            new TableEntry(9, null, new SourceOrder(1, 2)),
            new TableEntry(9, new byte[] {5, 6}),
            new TableEntry(9, null)
        }) {
            TableEntry back = TableEntry.decode(e.encode());
            assertEquals(e.version(), back.version());
            assertArrayEquals(e.value(), back.value());
            assertEquals(e.source(), back.source());
        }
        // A row as written before source orders existed: version, live flag 1, value.
        byte[] old = ByteBuffer.allocate(11)
                .putLong(5)
                .put((byte) 1)
                .put((byte) 7)
                .put((byte) 8)
                .array();
        TableEntry back = TableEntry.decode(old);
        assertArrayEquals(new byte[] {7, 8}, back.value());
        assertNull(back.source());
    }

    private static SourcePosition position(long position, long sequence) {
        return SourcePosition.newBuilder()
                .setPosition(position)
                .setSequence(sequence)
                .setTxId(42L)
                .build();
    }

    private static ChangeEvent upsert(SourcePosition source) {
        return change(Op.UPSERT, ByteBuffer.wrap(NODE), source);
    }

    private static ChangeEvent delete(SourcePosition source) {
        return change(Op.DELETE, null, source);
    }

    private static ChangeEvent change(Op op, ByteBuffer payload, SourcePosition source) {
        return ChangeEvent.newBuilder()
                .setOp(op)
                .setPayload(payload)
                .setProducerId("capture")
                .setClientTimestamp(Instant.EPOCH)
                .setSource(source)
                .build();
    }
}
