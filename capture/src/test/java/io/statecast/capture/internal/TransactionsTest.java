package io.statecast.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.schemas.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** Rows are held until their transaction's END, then positioned at its commit LSN; snapshot rows at once. */
class TransactionsTest {
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct()
            .field("op", Schema.STRING_SCHEMA)
            .field("source", SOURCE)
            .build();
    private static final Schema TX =
            SchemaBuilder.struct().field("status", Schema.STRING_SCHEMA).build();

    private final List<SourcePosition> seen = new ArrayList<>();
    private final Transactions tx = new Transactions((row, pos) -> {
        seen.add(pos);
        return List.of(CapturedChange.delete("ns", "k" + seen.size(), pos));
    });

    @Test
    void aTransactionsRowsWaitForItsEndAndTakeItsCommitLsn() {
        assertTrue(tx.accept(tx("BEGIN", Map.of())).isEmpty());
        assertFalse(tx.atBoundary());
        assertTrue(tx.accept(row(100, 7, "false")).isEmpty());
        assertTrue(tx.accept(row(120, 7, "false")).isEmpty());
        assertEquals(
                2, tx.accept(tx("END", Map.of("lsn_commit", 150L, "lsn", 150L))).size());
        assertTrue(tx.atBoundary());
        assertEquals(List.of(position(150, 100, 7), position(150, 120, 7)), seen);
    }

    @Test
    void snapshotRowsAreWrittenAtOnceAtTheSnapshotLsn() {
        assertEquals(1, tx.accept(row(90, 3, "true")).size());
        assertEquals(1, tx.accept(row(90, 3, "last")).size());
        assertEquals(List.of(position(90, 0, 3), position(90, 0, 3)), seen);
    }

    @Test
    void aTransactionStreamedAgainAfterARestartReplacesWhatWasHeld() {
        tx.accept(tx("BEGIN", Map.of()));
        tx.accept(row(100, 7, "false"));
        tx.accept(tx("BEGIN", Map.of())); // the engine restarted and streams the transaction from its start
        tx.accept(row(100, 7, "false"));
        assertEquals(1, tx.accept(tx("END", Map.of("lsn_commit", 150L))).size());
    }

    private static DebeziumRecord row(long lsn, long txId, String snapshot) {
        Struct source = new Struct(SOURCE).put("lsn", lsn).put("txId", txId).put("snapshot", snapshot);
        return DebeziumRecord.of(new Struct(ENVELOPE).put("op", "c").put("source", source), Map.of());
    }

    private static DebeziumRecord tx(String status, Map<String, ?> offset) {
        return DebeziumRecord.of(new Struct(TX).put("status", status), offset);
    }

    private static SourcePosition position(long pos, long seq, long txId) {
        return Transactions.position(pos, seq, txId);
    }
}
