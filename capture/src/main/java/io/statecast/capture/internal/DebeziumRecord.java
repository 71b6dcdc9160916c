package io.statecast.capture.internal;

import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A record of Debezium's change-event envelope (op, before, after, source) or of its transaction metadata
 * (status BEGIN/END), read from a {@link SourceRecord} of the embedded engine or from a Debezium topic.
 */
public record DebeziumRecord(Kind kind, Struct value, Map<String, ?> offset) {
    /** What the record is. */
    public enum Kind {
        /** A row change: create, update, delete, snapshot read, truncate. */
        DATA,
        /** A transaction begins (transaction metadata). */
        BEGIN,
        /** A transaction ended (transaction metadata); its offset carries the commit LSN. */
        END,
        /** Anything else (heartbeats, schema changes, logical decoding messages): ignored. */
        OTHER
    }

    /** Classifies a record by its value's fields; a null value (a tombstone) is OTHER. */
    public static DebeziumRecord of(Struct value, Map<String, ?> offset) {
        if (value == null) {
            return new DebeziumRecord(Kind.OTHER, null, offset);
        }
        if (value.schema().field("op") != null && value.schema().field("source") != null) {
            return new DebeziumRecord(Kind.DATA, value, offset);
        }
        if (value.schema().field("status") != null) {
            String status = value.getString("status");
            Kind k = "BEGIN".equals(status) ? Kind.BEGIN : "END".equals(status) ? Kind.END : Kind.OTHER;
            return new DebeziumRecord(k, value, offset);
        }
        return new DebeziumRecord(Kind.OTHER, value, offset);
    }

    /** A record of the embedded engine. */
    public static DebeziumRecord of(SourceRecord r) {
        return of(r.value() instanceof Struct s ? s : null, r.sourceOffset());
    }

    /** The envelope's {@code op}: c, u, d, r (snapshot read), t (truncate), m (message). */
    public String op() {
        return value.getString("op");
    }

    /** The row before the change (deletes and updates, with the replica identity's columns), or null. */
    public Struct before() {
        return value.getStruct("before");
    }

    /** The row after the change (creates, updates, snapshot reads), or null. */
    public Struct after() {
        return value.getStruct("after");
    }

    /** The envelope's {@code source} block. */
    public Struct source() {
        return value.getStruct("source");
    }

    /** True for a row of a snapshot (source.snapshot is set and not {@code false}). */
    public boolean snapshot() {
        Object s = sourceField("snapshot");
        return s != null && !"false".equals(s.toString());
    }

    /** The change's LSN (PostgreSQL), or null. */
    public Long lsn() {
        return sourceField("lsn") instanceof Number n ? n.longValue() : null;
    }

    /** The transaction id (PostgreSQL txId), or null. */
    public Long txId() {
        return sourceField("txId") instanceof Number n ? n.longValue() : null;
    }

    /** The connector that wrote the row ({@code source.connector}: postgresql, mysql…), or null. */
    public String connector() {
        Object c = sourceField("connector");
        return c == null ? null : c.toString();
    }

    /**
     * From {@code source.sequence} ({@code ["lastCommitLsn","lsn"]} of the PostgreSQL connector): the LSN of the
     * last transaction committed before this row's, or null.
     */
    public Long lastCommitLsn() {
        Object seq = sourceField("sequence");
        if (seq == null) {
            return null;
        }
        String text = seq.toString().replaceAll("[\\[\\]\" ]", "");
        String first = text.split(",", -1)[0];
        return first.isEmpty() || first.equals("null") ? null : Long.valueOf(first);
    }

    /** The schema and table of a row change. */
    public String table() {
        return sourceField("schema") + "." + sourceField("table");
    }

    /** From an END record's offset: the commit LSN ({@code lsn_commit}, else {@code lsn}); null if absent. */
    public Long commitLsn() {
        Object v = offset == null ? null : offset.get("lsn_commit");
        if (v == null && offset != null) {
            v = offset.get("lsn");
        }
        return v instanceof Number n ? n.longValue() : null;
    }

    private Object sourceField(String name) {
        Struct s = source();
        Field f = s == null ? null : s.schema().field(name);
        return f == null ? null : s.get(f);
    }
}
