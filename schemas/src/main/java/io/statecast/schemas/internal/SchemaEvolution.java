package io.statecast.schemas.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Checks that a schema can read a released version and be read by it (Avro schema resolution). */
public final class SchemaEvolution {
    private SchemaEvolution() {}

    /** Problems found, each naming the schema, the direction and the field; empty when compatible both ways. */
    public static List<String> problems(String record, String version, Schema current, Schema released) {
        List<String> out = new ArrayList<>();
        check(out, record + ": current schema cannot read released " + version, current, released);
        check(out, record + ": released " + version + " cannot read the current schema", released, current);
        return out;
    }

    /** Turns a JSON pointer such as {@code /fields/3/type} into the field names it crosses ({@code producerId}). */
    static String fieldPath(Schema schema, String pointer) {
        List<String> names = new ArrayList<>();
        Schema at = schema;
        String[] parts = pointer.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (at == null) {
                break;
            }
            if (parts[i].equals("fields") && i + 1 < parts.length && at.getType() == Schema.Type.RECORD) {
                Schema.Field f = at.getFields().get(Integer.parseInt(parts[++i]));
                names.add(f.name());
                at = f.schema();
            } else if (parts[i].equals("items") && at.getType() == Schema.Type.ARRAY) {
                at = at.getElementType();
            } else if (parts[i].equals("values") && at.getType() == Schema.Type.MAP) {
                at = at.getValueType();
            } else if (parts[i].equals("union") && i + 1 < parts.length && at.getType() == Schema.Type.UNION) {
                at = at.getTypes().get(Integer.parseInt(parts[++i]));
            }
        }
        return names.isEmpty() ? schema.getFullName() : String.join(".", names);
    }

    private static void check(List<String> out, String what, Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility i : result.getIncompatibilities()) {
            out.add(what + " — " + i.getType() + " at field '" + fieldPath(reader, i.getLocation()) + "' ("
                    + i.getLocation() + "): " + i.getMessage());
        }
    }
}
