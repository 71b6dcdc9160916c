package io.statecast.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field that differs between two values of a key, in the values' plain JSON form (records and maps
 * are objects, so a path names a record field, a map key or an array index: {@code node},
 * {@code labels.app}, {@code containers[0].image}).
 *
 * @param field the path of the field
 * @param from the value before, or null when the field was absent (a JSON {@code null} is a NullNode)
 * @param to the value after, or null when the field is absent now
 */
public record FieldChange(String field, JsonNode from, JsonNode to) {

    /** The change as the CLI prints it: {@code node: node-3 → node-9} (strings unquoted, absence as {@code (absent)}). */
    public String describe() {
        return field + ": " + text(from) + " → " + text(to);
    }

    private static String text(JsonNode v) {
        if (v == null) {
            return "(absent)";
        }
        return v.isTextual() ? v.textValue() : v.toString();
    }
}
