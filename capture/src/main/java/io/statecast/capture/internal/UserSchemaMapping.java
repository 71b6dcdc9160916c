package io.statecast.capture.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.schemas.JsonAvro;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Maps a captured row (a record of its derived schema) onto the user's value schema ({@code --value-schema}) by
 * field name, as docs/capture.md describes: a column the schema has no field for is left out (a new column
 * waits until the schema has it); a field no column fills, or a SQL NULL in a field that cannot be null, takes
 * the field's default; the text of a {@code json}/{@code jsonb} column fills a record, map or array field;
 * {@code timestamptz} (ISO-8601 text) and {@code timestamp} (microseconds) fill a {@code timestamp-millis} or
 * {@code timestamp-micros} field in its unit. What still does not fit is a {@link JsonAvro.JsonAvroException}
 * naming the field.
 */
public final class UserSchemaMapping {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<Schema.Type> STRUCTURED = List.of(Schema.Type.RECORD, Schema.Type.MAP, Schema.Type.ARRAY);

    private final Schema user;

    /** Rows onto {@code user}, a record schema. */
    public UserSchemaMapping(Schema user) {
        this.user = user;
    }

    /** The user's schema. */
    public Schema schema() {
        return user;
    }

    /**
     * The row as a record of the user's schema.
     *
     * @throws JsonAvro.JsonAvroException when a column's value does not fit its field
     */
    public GenericRecord map(GenericRecord row) {
        Schema derived = row.getSchema();
        ObjectNode out = NODES.objectNode();
        for (Schema.Field field : user.getFields()) {
            Schema.Field column = derived.getField(field.name());
            if (column == null) {
                continue; // no such column: the field's default
            }
            JsonNode value = JsonAvro.toJson(row.get(column.pos()), column.schema());
            JsonNode mapped = value.isNull() ? nullFor(field) : fit(value, nonNull(column.schema()), field.schema());
            if (mapped != null) {
                out.set(field.name(), mapped);
            }
        }
        return (GenericRecord) JsonAvro.fromJson(out, user);
    }

    // SQL NULL: null where the field takes it, else the field's default (left out), else null (an error then).
    private static JsonNode nullFor(Schema.Field field) {
        boolean nullable = field.schema().getType() == Schema.Type.NULL || branch(field.schema(), Schema.Type.NULL);
        return nullable || !field.hasDefaultValue() ? NODES.nullNode() : null;
    }

    private static JsonNode fit(JsonNode value, Schema column, Schema field) {
        if (value.isTextual() && STRUCTURED.stream().anyMatch(t -> branch(field, t))) {
            return parsed(value);
        }
        LogicalType target = timestamp(field);
        if (target == null) {
            return value;
        }
        if (value.isTextual()) {
            return instant(value.textValue())
                    .map(i -> (JsonNode) NODES.numberNode(inUnit(i, target)))
                    .orElse(value);
        }
        if (value.isIntegralNumber() && timestampColumn(column) && micros(column.getLogicalType()) != micros(target)) {
            long v = value.longValue();
            return NODES.numberNode(micros(target) ? v * 1000 : Math.floorDiv(v, 1000));
        }
        return value;
    }

    // json/jsonb text into the JSON it holds; text that is not JSON stays text (and does not fit: named then).
    private static JsonNode parsed(JsonNode text) {
        try {
            return JSON.readTree(text.textValue());
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static java.util.Optional<Instant> instant(String text) {
        try {
            return java.util.Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    private static long inUnit(Instant i, LogicalType unit) {
        return micros(unit) ? i.getEpochSecond() * 1_000_000L + i.getNano() / 1000 : i.toEpochMilli();
    }

    // The timestamp logical type of a long field (or of its long branch), or null.
    private static LogicalType timestamp(Schema field) {
        for (Schema s : field.getType() == Schema.Type.UNION ? field.getTypes() : List.of(field)) {
            LogicalType t = s.getLogicalType();
            if (t instanceof LogicalTypes.TimestampMillis || t instanceof LogicalTypes.TimestampMicros) {
                return t;
            }
        }
        return null;
    }

    private static boolean timestampColumn(Schema column) {
        LogicalType t = column.getLogicalType();
        return t instanceof LogicalTypes.TimestampMillis
                || t instanceof LogicalTypes.TimestampMicros
                || t instanceof LogicalTypes.LocalTimestampMillis
                || t instanceof LogicalTypes.LocalTimestampMicros;
    }

    private static boolean micros(LogicalType t) {
        return t instanceof LogicalTypes.TimestampMicros || t instanceof LogicalTypes.LocalTimestampMicros;
    }

    private static boolean branch(Schema s, Schema.Type type) {
        if (s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().anyMatch(b -> b.getType() == type);
        }
        return s.getType() == type;
    }

    private static Schema nonNull(Schema union) {
        return union.getType() == Schema.Type.UNION ? union.getTypes().get(1) : union;
    }
}
