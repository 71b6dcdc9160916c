package io.statecast.capture.internal;

import io.statecast.schemas.SourcePosition;

/**
 * The source position of a row read from a Debezium topic, where the commit LSN of the row's own transaction is
 * not known (the transaction metadata, when Connect writes it, is another topic): for a PostgreSQL connector,
 * {@code (the last commit LSN before the row, from source.sequence, else the row's LSN; the row's LSN)}, and
 * {@code (LSN, 0)} for snapshot rows; none for other connectors (docs/capture.md).
 */
public final class TopicPositions {
    private TopicPositions() {}

    /** The row's position, or null when its connector is not PostgreSQL's. */
    public static SourcePosition of(DebeziumRecord r) {
        Long lsn = r.lsn();
        if (lsn == null || !"postgresql".equals(r.connector())) {
            return null;
        }
        if (r.snapshot()) {
            return Transactions.position(lsn, 0, r.txId());
        }
        Long lastCommit = r.lastCommitLsn();
        return Transactions.position(lastCommit == null ? lsn : lastCommit, lsn, r.txId());
    }
}
