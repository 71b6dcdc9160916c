package io.statecast.schemas;

import io.statecast.common.SliceFieldException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * The field a slice partitions by: a top-level field of the value schema ({@code node}) or a dotted
 * path into records and maps ({@code labels.app}: the key {@code app} of the map {@code labels}).
 * Nullable unions ({@code ["null", T]}) are walked through. The path must end on a string, enum, int,
 * long or boolean; its text ({@link #valueOf}) is the slice value. A null on the way, a missing map key,
 * or a field the record's writer schema does not have (a schema evolution that dropped it) all mean
 * "in no slice".
 *
 * <pre>{@code
 * SliceField f = SliceField.parse("labels.app");
 * f.check(Pod.getClassSchema());          // SliceFieldException naming the step when it does not fit
 * String app = f.valueOf(podRecord);      // null: in no slice
 * }</pre>
 */
public final class SliceField {
    private static final Set<Schema.Type> LEAVES =
            EnumSet.of(Schema.Type.STRING, Schema.Type.ENUM, Schema.Type.INT, Schema.Type.LONG, Schema.Type.BOOLEAN);

    private final String path;
    private final List<String> steps;

    private SliceField(String path, List<String> steps) {
        this.path = path;
        this.steps = steps;
    }

    /** Parses {@code a.b.c}; every step non-empty. */
    public static SliceField parse(String path) {
        if (path == null || path.isBlank()) {
            throw new io.statecast.common.ConfigurationException("A slice field is required, e.g. node or labels.app");
        }
        List<String> steps = List.of(path.split("\\.", -1));
        if (steps.stream().anyMatch(String::isEmpty)) {
            throw new io.statecast.common.ConfigurationException(
                    "Invalid slice field '" + path + "': empty step between dots");
        }
        return new SliceField(path, steps);
    }

    /** The path as given. */
    public String path() {
        return path;
    }

    /** Checks that the path resolves in {@code schema} to a slice value; throws naming the step when not. */
    public void check(Schema schema) {
        Schema at = schema;
        for (int i = 0; i < steps.size(); i++) {
            at = nonNull(at, i, schema);
            String step = steps.get(i);
            if (at.getType() == Schema.Type.RECORD) {
                Schema.Field f = at.getField(step);
                if (f == null) {
                    throw problem(
                            schema,
                            "record " + at.getFullName() + " has no field '" + step + "' (fields: "
                                    + at.getFields().stream()
                                            .map(Schema.Field::name)
                                            .collect(Collectors.joining(", "))
                                    + ")");
                }
                at = f.schema();
            } else if (at.getType() == Schema.Type.MAP) {
                at = at.getValueType();
            } else {
                throw problem(schema, "'" + prefix(i) + "' is " + describe(at) + ", not a record or a map");
            }
        }
        at = nonNull(at, steps.size(), schema);
        if (!LEAVES.contains(at.getType())) {
            throw problem(
                    schema,
                    "'" + path + "' is " + describe(at) + "; a slice value is a string, enum, int, long or boolean");
        }
    }

    /** Whether the path resolves in {@code schema} ({@link #check} passes). */
    public boolean fits(Schema schema) {
        try {
            check(schema);
            return true;
        } catch (SliceFieldException e) {
            return false;
        }
    }

    /** The slice value of a decoded record: its text, or null when it is in no slice. */
    public String valueOf(GenericRecord record) {
        Object at = record;
        for (String step : steps) {
            at = step(at, step);
            if (at == null) {
                return null;
            }
        }
        return at instanceof CharSequence || at instanceof GenericEnumSymbol<?> || leafBox(at) ? at.toString() : null;
    }

    /** A reader schema holding only the path's fields, to decode payloads of {@code writer} cheaply. */
    Schema projection(Schema writer) {
        check(writer);
        return project(writer, 0);
    }

    private Schema project(Schema s, int i) {
        if (i == steps.size()) {
            return s;
        }
        switch (s.getType()) {
            case UNION:
                List<Schema> branches = new ArrayList<>();
                for (Schema b : s.getTypes()) {
                    branches.add(b.getType() == Schema.Type.NULL ? b : project(b, i));
                }
                return Schema.createUnion(branches);
            case MAP:
                return Schema.createMap(project(s.getValueType(), i + 1));
            default: // RECORD: check() refused anything else
                Schema.Field f = s.getField(steps.get(i));
                return Schema.createRecord(
                        s.getName(),
                        null,
                        s.getNamespace(),
                        false,
                        List.of(new Schema.Field(f.name(), project(f.schema(), i + 1))));
        }
    }

    private static Object step(Object at, String step) {
        if (at instanceof GenericRecord r) {
            return r.getSchema().getField(step) == null ? null : r.get(step);
        }
        if (at instanceof Map<?, ?> m) {
            Object v = m.get(new Utf8(step));
            return v != null ? v : m.get(step);
        }
        return null;
    }

    private static boolean leafBox(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Boolean;
    }

    // A nullable union ["null", T] stands for T; a union of several non-null types cannot be walked.
    private Schema nonNull(Schema s, int step, Schema root) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        List<Schema> types = s.getTypes().stream()
                .filter(t -> t.getType() != Schema.Type.NULL)
                .collect(Collectors.toList());
        if (types.size() != 1) {
            throw problem(root, "'" + prefix(step) + "' is a union of " + types.size() + " non-null types");
        }
        return types.get(0);
    }

    private String prefix(int steps) {
        return steps == 0 ? "(the value)" : String.join(".", this.steps.subList(0, steps));
    }

    private static String describe(Schema s) {
        return s.getType() == Schema.Type.RECORD
                ? "record " + s.getFullName()
                : "a " + s.getType().getName();
    }

    private SliceFieldException problem(Schema root, String what) {
        return new SliceFieldException(path, root.getFullName(), what);
    }

    @Override
    public String toString() {
        return path;
    }
}
