package io.statecast.capture.internal;

import io.statecast.common.StatecastException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The entity key of a row (docs/protocol.md, "Keys of captured rows"): one key column → its value as text;
 * several → each value as text with {@code %} written {@code %25} and {@code /} written {@code %2F}, joined by
 * {@code /} (so {@code (default, web-1)} is {@code default/web-1}). Text of a value: strings as they are,
 * integers and booleans in decimal/{@code true}, bytes in base64, anything else as Debezium's value prints.
 */
public final class KeyEncoder {
    private final List<String> columns;

    /** An encoder of these key columns (as Debezium names the row's fields). */
    public KeyEncoder(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** The key columns. */
    public List<String> columns() {
        return columns;
    }

    /** The key of this row image. */
    public String keyOf(Struct row) {
        if (columns.size() == 1) {
            return text(row, columns.get(0));
        }
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(escape(text(row, c)));
        }
        return b.toString();
    }

    /** The key columns this row image has no field for (a wrong {@code --key}), in the order given. */
    public List<String> missingFrom(Struct row) {
        return columns.stream().filter(c -> row.schema().field(c) == null).toList();
    }

    /** The composite-key escaping of one component. */
    public static String escape(String component) {
        return component.replace("%", "%25").replace("/", "%2F");
    }

    private static String text(Struct row, String column) {
        Field f = row.schema().field(column);
        Object v = f == null ? null : row.get(f);
        if (v == null) {
            throw new StatecastException("key column " + column + " is null or missing in a row of "
                    + row.schema().name() + ": key columns must be NOT NULL and in the replica identity");
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof ByteBuffer bb) {
            byte[] b = new byte[bb.remaining()];
            bb.duplicate().get(b);
            return Base64.getEncoder().encodeToString(b);
        }
        return v.toString();
    }
}
