package io.statecast.capture.internal;

import io.statecast.schemas.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups the row changes of the embedded engine by database transaction and positions them: a streamed
 * transaction's rows are held until its END (transaction metadata), whose offset carries the commit LSN, and
 * then take {@code (commit LSN, the row's LSN, txId)}; snapshot rows take {@code (snapshot LSN, 0, txId)} at
 * once. Commit LSNs grow in the order PostgreSQL decodes transactions, so a key's positions grow with its
 * changes (docs/protocol.md, "Source positions").
 */
public final class Transactions {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    private final RowConverter rows;
    private List<DebeziumRecord> open;

    /** Transactions whose rows {@code rows} converts. */
    public Transactions(RowConverter rows) {
        this.rows = rows;
    }

    /** Feeds one record; returns the changes of whatever it completed (often none), in commit order. */
    public List<CapturedChange> accept(DebeziumRecord r) {
        switch (r.kind()) {
            case BEGIN:
                if (open != null && !open.isEmpty()) {
                    // only after a restart of the engine mid-transaction: it streams the whole transaction again
                    log.info("Dropping {} buffered row(s) of a transaction streamed again", open.size());
                }
                open = new ArrayList<>();
                return List.of();
            case END:
                return commit(r.commitLsn());
            case DATA:
                return data(r);
            default:
                return List.of();
        }
    }

    /** True when no transaction is open: every record fed so far is converted, so its offset may be committed. */
    public boolean atBoundary() {
        return open == null;
    }

    /** Rows held for the open transaction. */
    public int openRows() {
        return open == null ? 0 : open.size();
    }

    private List<CapturedChange> data(DebeziumRecord r) {
        if (r.snapshot()) {
            return rows.convert(r, position(r.lsn(), 0, r.txId()));
        }
        if (open == null) { // no transaction metadata around it: the row's LSN is its position
            long lsn = r.lsn() == null ? 0 : r.lsn();
            return rows.convert(r, position(lsn, lsn, r.txId()));
        }
        open.add(r);
        return List.of();
    }

    private List<CapturedChange> commit(Long commitLsn) {
        List<DebeziumRecord> done = open == null ? List.of() : open;
        open = null;
        List<CapturedChange> out = new ArrayList<>();
        for (DebeziumRecord r : done) {
            long lsn = r.lsn() == null ? 0 : r.lsn();
            out.addAll(rows.convert(r, position(commitLsn == null ? lsn : commitLsn, lsn, r.txId())));
        }
        return out;
    }

    static SourcePosition position(Long position, long sequence, Long txId) {
        return SourcePosition.newBuilder()
                .setPosition(position == null ? 0 : position)
                .setSequence(sequence)
                .setTxId(txId)
                .build();
    }
}
