package io.statecast.audit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.statecast.audit.FieldChange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The field-level difference of two values in plain JSON: objects (records, maps) are compared field by
 * field, arrays of the same length element by element, anything else as a whole.
 */
public final class FieldDiff {
    private FieldDiff() {}

    /** The fields that differ, in the order of {@code from}'s fields, then {@code to}'s new ones. */
    public static List<FieldChange> between(JsonNode from, JsonNode to) {
        List<FieldChange> out = new ArrayList<>();
        diff("", from, to, out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<FieldChange> out) {
        if (a != null && a.equals(b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            for (String name : names(a, b)) {
                diff(path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name), out);
            }
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
        } else {
            out.add(new FieldChange(path, a, b));
        }
    }

    private static Set<String> names(JsonNode a, JsonNode b) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
