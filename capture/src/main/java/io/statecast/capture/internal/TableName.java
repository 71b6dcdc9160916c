package io.statecast.capture.internal;

import io.statecast.capture.CaptureException;

/** A table as {@code schema.table} ({@code public} when the schema is left out), as {@code --table} names it. */
public record TableName(String schema, String table) {
    /** Parses {@code public.pods} or {@code pods}. */
    public static TableName parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 2 || parts[parts.length - 1].isBlank() || parts[0].isBlank()) {
            throw CaptureException.config("--table must be schema.table (e.g. public.pods), was " + text);
        }
        return parts.length == 1 ? new TableName("public", parts[0]) : new TableName(parts[0], parts[1]);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
