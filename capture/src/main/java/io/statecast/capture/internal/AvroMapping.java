package io.statecast.capture.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Derives an Avro schema from the Kafka Connect schema Debezium gives a table's rows, and converts rows. Every
 * column becomes a field {@code ["null", T]} with default null, so that adding or dropping a column is a
 * compatible evolution in both directions (docs/capture.md has the type mapping).
 */
public final class AvroMapping {
    /** Record namespace of derived schemas: {@code statecast.capture.<pg schema>}. */
    public static final String NAMESPACE = "statecast.capture";

    private final Map<org.apache.kafka.connect.data.Schema, Schema> cache = new ConcurrentHashMap<>();

    /** The Avro schema of rows of this Connect schema, for the table {@code schema.table}. */
    public Schema schemaOf(org.apache.kafka.connect.data.Schema row, String pgSchema, String table) {
        return cache.computeIfAbsent(row, r -> record(r, NAMESPACE + "." + avroName(pgSchema), avroName(table)));
    }

    /** The row as a generic record of {@code schema} (from {@link #schemaOf}). */
    public GenericRecord toRecord(Struct row, Schema schema) {
        GenericData.Record out = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Field column = row.schema().field(f.name());
            out.put(f.pos(), column == null ? null : value(row.get(column), column.schema(), nonNull(f.schema())));
        }
        return out;
    }

    private static Schema record(org.apache.kafka.connect.data.Schema row, String namespace, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Field f : row.fields()) {
            Schema type = type(f.schema(), namespace, name + "_" + f.name());
            fields.add(new Schema.Field(
                    f.name(),
                    Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                    null,
                    JsonProperties.NULL_VALUE));
        }
        return Schema.createRecord(name, "captured by statecast from " + name, namespace, false, fields);
    }

    static Schema type(org.apache.kafka.connect.data.Schema s, String namespace, String nestedName) {
        String logical = s.name() == null ? "" : s.name();
        switch (s.type()) {
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case INT8:
            case INT16:
                return Schema.create(Schema.Type.INT);
            case INT32:
                return int32(logical);
            case INT64:
                return int64(logical);
            case FLOAT32:
                return Schema.create(Schema.Type.FLOAT);
            case FLOAT64:
                return Schema.create(Schema.Type.DOUBLE);
            case STRING:
                return Schema.create(Schema.Type.STRING);
            case BYTES:
                return Schema.create(Schema.Type.BYTES);
            case ARRAY:
                return Schema.createArray(nullable(type(s.valueSchema(), namespace, nestedName)));
            case MAP:
                return Schema.createMap(nullable(type(s.valueSchema(), namespace, nestedName)));
            case STRUCT:
                return record(s, namespace, nestedName);
            default:
                throw new IllegalArgumentException("unsupported column type " + s.type());
        }
    }

    private static Schema int32(String logical) {
        switch (logical) {
            case "io.debezium.time.Date":
            case "org.apache.kafka.connect.data.Date":
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case "io.debezium.time.Time":
                return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
            default:
                return Schema.create(Schema.Type.INT);
        }
    }

    private static Schema int64(String logical) {
        switch (logical) {
            case "io.debezium.time.MicroTime":
                return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "io.debezium.time.Timestamp":
                return LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            case "io.debezium.time.MicroTimestamp":
                return LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            default:
                return Schema.create(Schema.Type.LONG);
        }
    }

    private static Schema nullable(Schema s) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), s);
    }

    private static Schema nonNull(Schema union) {
        return union.getType() == Schema.Type.UNION ? union.getTypes().get(1) : union;
    }

    private Object value(Object v, org.apache.kafka.connect.data.Schema s, Schema avro) {
        if (v == null) {
            return null;
        }
        switch (s.type()) {
            case INT8:
                return ((Byte) v).intValue();
            case INT16:
                return ((Short) v).intValue();
            case BYTES:
                return v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
            case ARRAY:
                return array((List<?>) v, s, avro);
            case MAP:
                return map((Map<?, ?>) v, s, avro);
            case STRUCT:
                return toRecord((Struct) v, avro);
            default:
                return v;
        }
    }

    private List<Object> array(List<?> items, org.apache.kafka.connect.data.Schema s, Schema avro) {
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(value(item, s.valueSchema(), nonNull(avro.getElementType())));
        }
        return out;
    }

    private Map<String, Object> map(Map<?, ?> entries, org.apache.kafka.connect.data.Schema s, Schema avro) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(String.valueOf(k), value(v, s.valueSchema(), nonNull(avro.getValueType()))));
        return out;
    }

    /** A valid Avro name for a PostgreSQL identifier: other characters become {@code _}, a leading digit gets one. */
    public static String avroName(String identifier) {
        StringBuilder b = new StringBuilder();
        for (char c : identifier.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' ? c : '_');
        }
        if (b.length() == 0 || Character.isDigit(b.charAt(0))) {
            b.insert(0, '_');
        }
        return b.toString();
    }
}
