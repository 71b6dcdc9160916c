package io.statecast.capture.internal;

import io.statecast.schemas.JsonAvro;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SourcePosition;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one table into one namespace: insert, update and snapshot read → UPSERT of the row (an update
 * that changes the key → DELETE of the old key, then UPSERT), delete → DELETE. The value is the row as a
 * record of the schema derived from the columns, or of the user's schema ({@code --value-schema}) matched by
 * field name.
 */
public final class TableRows implements RowConverter {
    /** What Debezium puts in a column whose unchanged TOAST value was not sent. */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";

    private static final Logger log = LoggerFactory.getLogger(TableRows.class);

    private final String namespace;
    private final KeyEncoder keys;
    private final AvroMapping mapping = new AvroMapping();
    private final UserSchemaMapping userSchema;
    private final AtomicLong truncates = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();

    /** Rows into {@code namespace}, keyed by {@code keys}, with {@code userSchema} (null: derived). */
    public TableRows(String namespace, KeyEncoder keys, Schema userSchema) {
        this.namespace = namespace;
        this.keys = keys;
        this.userSchema = userSchema == null ? null : new UserSchemaMapping(userSchema);
    }

    @Override
    public List<CapturedChange> convert(DebeziumRecord r, SourcePosition source) {
        switch (r.op()) {
            case "c":
            case "r":
                return List.of(upsert(r, r.after(), source));
            case "u":
                return update(r, source);
            case "d":
                return List.of(CapturedChange.delete(namespace, keys.keyOf(r.before()), source));
            case "t":
                if (truncates.incrementAndGet() == 1) {
                    log.warn(
                            "TRUNCATE of {} is not captured: its rows stay in the namespace {}; delete them "
                                    + "row by row or re-snapshot (docs/capture.md)",
                            r.table(),
                            namespace);
                }
                return List.of();
            default:
                return List.of();
        }
    }

    private List<CapturedChange> update(DebeziumRecord r, SourcePosition source) {
        Struct after = fillUnavailable(r.after(), r.before());
        if (r.before() != null) {
            String oldKey = keys.keyOf(r.before());
            if (!oldKey.equals(keys.keyOf(after))) {
                return List.of(CapturedChange.delete(namespace, oldKey, source), upsert(r, after, source));
            }
        }
        return List.of(upsert(r, after, source));
    }

    private CapturedChange upsert(DebeziumRecord r, Struct row, SourcePosition source) {
        String key = keys.keyOf(row);
        Schema derived = mapping.schemaOf(row.schema(), schemaOf(r.table()), tableOf(r.table()));
        GenericRecord value = mapping.toRecord(row, derived);
        if (userSchema == null) {
            return CapturedChange.upsert(namespace, key, value, source);
        }
        try {
            GenericRecord mapped = userSchema.map(value);
            return CapturedChange.upsert(namespace, key, mapped, source);
        } catch (JsonAvro.JsonAvroException e) {
            String raw = JsonAvro.toJsonString(value, derived);
            return CapturedChange.refused(
                    namespace,
                    key,
                    source,
                    new CapturedChange.Refusal(
                            RejectionReason.INVALID,
                            "row of " + r.table() + " does not fit --value-schema "
                                    + userSchema.schema().getFullName() + ": " + e.getMessage(),
                            raw));
        }
    }

    // Unchanged TOAST columns come without value unless REPLICA IDENTITY FULL; the old image, when Debezium
    // has it, holds the value.
    private Struct fillUnavailable(Struct after, Struct before) {
        Struct out = null;
        for (Field f : after.schema().fields()) {
            Object v = after.get(f);
            if (UNAVAILABLE.equals(v) || v instanceof byte[] b && UNAVAILABLE.equals(new String(b))) {
                Object old = before == null || before.schema().field(f.name()) == null ? null : before.get(f.name());
                if (old == null || UNAVAILABLE.equals(old)) {
                    countUnavailable(f.name());
                    continue;
                }
                out = out == null ? copy(after) : out;
                out.put(f.name(), old);
            }
        }
        return out == null ? after : out;
    }

    private void countUnavailable(String column) {
        if (unavailable.incrementAndGet() % 1000 == 1) {
            log.warn(
                    "Column {} of an update came without its unchanged TOAST value ({} so far): set REPLICA"
                            + " IDENTITY FULL on the table (docs/capture.md)",
                    column,
                    unavailable.get());
        }
    }

    private static Struct copy(Struct s) {
        Struct c = new Struct(s.schema());
        s.schema().fields().forEach(f -> c.put(f, s.get(f)));
        return c;
    }

    private static String schemaOf(String table) {
        return table.substring(0, table.indexOf('.'));
    }

    private static String tableOf(String table) {
        return table.substring(table.indexOf('.') + 1);
    }
}
