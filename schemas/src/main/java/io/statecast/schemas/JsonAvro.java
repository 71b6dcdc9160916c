package io.statecast.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.common.StatecastException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * Plain JSON ↔ Avro generic data, the way people write JSON (no union wrappers): a union takes the
 * first branch the JSON value fits, {@code null} fits a nullable union, missing fields take their
 * default, bytes are base64, timestamps are epoch milliseconds. Errors name the field path.
 */
public final class JsonAvro {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonAvro() {}

    /** A JSON value that does not fit the schema; {@link #path()} names the field. */
    public static final class JsonAvroException extends StatecastException {
        private static final long serialVersionUID = 1L;
        private final String path;

        public JsonAvroException(String path, String message) {
            super((path.isEmpty() ? "value" : path) + ": " + message);
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    /** Converts a JSON value into Avro generic data of {@code schema}. */
    public static Object fromJson(JsonNode json, Schema schema) {
        return convert(json, schema, "");
    }

    /** As {@link #fromJson(JsonNode, Schema)}, with error paths starting at {@code root} (e.g. "value"). */
    public static Object fromJson(JsonNode json, Schema schema, String root) {
        return convert(json, schema, root);
    }

    /** Converts Avro data (generic or specific) of {@code schema} into JSON. */
    public static JsonNode toJson(Object value, Schema schema) {
        return render(value, schema);
    }

    /** Converts Avro data into a compact JSON string. */
    public static String toJsonString(Object value, Schema schema) {
        try {
            return new ObjectMapper().writeValueAsString(render(value, schema));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StatecastException("Cannot render JSON: " + e.getMessage(), e);
        }
    }

    private static Object convert(JsonNode j, Schema s, String path) {
        switch (s.getType()) {
            case NULL:
                require(j == null || j.isNull(), path, "expected null");
                return null;
            case BOOLEAN:
                require(j != null && j.isBoolean(), path, "expected a boolean");
                return j.booleanValue();
            case INT:
                require(j != null && j.canConvertToInt() && j.isIntegralNumber(), path, "expected an int");
                return j.intValue();
            case LONG:
                require(j != null && j.isIntegralNumber() && j.canConvertToLong(), path, "expected a long");
                return j.longValue();
            case FLOAT:
            case DOUBLE:
                require(j != null && j.isNumber(), path, "expected a number");
                return s.getType() == Schema.Type.FLOAT ? (Object) j.floatValue() : (Object) j.doubleValue();
            case STRING:
                require(j != null && j.isTextual(), path, "expected a string");
                return j.textValue();
            case BYTES:
                require(j != null && j.isTextual(), path, "expected base64 text");
                return ByteBuffer.wrap(base64(j.textValue(), path));
            case FIXED:
                require(j != null && j.isTextual(), path, "expected base64 text");
                return new GenericData.Fixed(s, base64(j.textValue(), path));
            case ENUM:
                require(
                        j != null && j.isTextual() && s.getEnumSymbols().contains(j.textValue()),
                        path,
                        "expected one of " + s.getEnumSymbols());
                return new GenericData.EnumSymbol(s, j.textValue());
            case ARRAY:
                return array(j, s, path);
            case MAP:
                return map(j, s, path);
            case UNION:
                return union(j, s, path);
            case RECORD:
                return record(j, s, path);
            default:
                throw new JsonAvroException(path, "unsupported Avro type " + s.getType());
        }
    }

    private static List<Object> array(JsonNode j, Schema s, String path) {
        require(j != null && j.isArray(), path, "expected an array");
        List<Object> out = new ArrayList<>(j.size());
        for (int i = 0; i < j.size(); i++) {
            out.add(convert(j.get(i), s.getElementType(), path + "[" + i + "]"));
        }
        return out;
    }

    private static Map<String, Object> map(JsonNode j, Schema s, String path) {
        require(j != null && j.isObject(), path, "expected an object");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), convert(e.getValue(), s.getValueType(), path + "." + e.getKey()));
        }
        return out;
    }

    private static Object union(JsonNode j, Schema s, String path) {
        for (Schema branch : s.getTypes()) {
            try {
                return convert(j, branch, path);
            } catch (JsonAvroException e) {
                // try the next branch
            }
        }
        throw new JsonAvroException(
                path,
                "fits none of " + s.getTypes().stream().map(Schema::getType).toList());
    }

    private static GenericRecord record(JsonNode j, Schema s, String path) {
        require(j != null && j.isObject(), path, "expected an object for record " + s.getName());
        GenericRecord r = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) {
            String p = path.isEmpty() ? f.name() : path + "." + f.name();
            JsonNode v = j.get(f.name());
            if (v == null) {
                require(f.hasDefaultValue(), p, "missing, and the field has no default");
                r.put(f.pos(), GenericData.get().getDefaultValue(f));
            } else {
                r.put(f.pos(), convert(v, f.schema(), p));
            }
        }
        for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            require(
                    s.getField(name) != null,
                    path.isEmpty() ? name : path + "." + name,
                    "unknown field of " + s.getName());
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static JsonNode render(Object v, Schema s) {
        if (v == null) {
            return JSON.nullNode();
        }
        switch (s.getType()) {
            case BOOLEAN:
                return JSON.booleanNode((Boolean) v);
            case INT:
                return JSON.numberNode(((Number) v).intValue());
            case LONG:
                return JSON.numberNode(
                        v instanceof java.time.Instant
                                ? ((java.time.Instant) v).toEpochMilli()
                                : ((Number) v).longValue());
            case FLOAT:
            case DOUBLE:
                return JSON.numberNode(((Number) v).doubleValue());
            case STRING:
            case ENUM:
                return JSON.textNode(v.toString());
            case BYTES:
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return JSON.textNode(Base64.getEncoder().encodeToString(bytes));
            case FIXED:
                return JSON.textNode(Base64.getEncoder().encodeToString(((GenericFixed) v).bytes()));
            case ARRAY:
                ArrayNode a = JSON.arrayNode();
                ((Iterable<Object>) v).forEach(e -> a.add(render(e, s.getElementType())));
                return a;
            case MAP:
                ObjectNode m = JSON.objectNode();
                ((Map<Object, Object>) v).forEach((k, e) -> m.set(k.toString(), render(e, s.getValueType())));
                return m;
            case UNION:
                return render(v, s.getTypes().get(GenericData.get().resolveUnion(s, v)));
            case RECORD:
                ObjectNode o = JSON.objectNode();
                IndexedRecord r = (IndexedRecord) v;
                for (Schema.Field f : s.getFields()) {
                    o.set(f.name(), render(r.get(f.pos()), f.schema()));
                }
                return o;
            default:
                return JSON.textNode(new String(v.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
    }

    private static byte[] base64(String text, String path) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new JsonAvroException(path, "not base64: " + e.getMessage());
        }
    }

    private static void require(boolean ok, String path, String message) {
        if (!ok) {
            throw new JsonAvroException(path, message);
        }
    }
}
