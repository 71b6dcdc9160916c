package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.FieldChange;
import java.io.PrintWriter;
import java.util.List;

/** The one form of field-level changes that {@code audit history} and {@code audit diff} print. */
final class FieldChanges {
    private FieldChanges() {}

    /** One line per change, {@code node: node-3 → node-9}. */
    static void print(PrintWriter out, String indent, List<FieldChange> changes) {
        changes.forEach(c -> out.println(indent + c.describe()));
    }

    /** {@code [{"field":"node","from":"node-3","to":"node-9"}]}; {@code from}/{@code to} are left out when absent. */
    static ArrayNode toJson(List<FieldChange> changes) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (FieldChange c : changes) {
            ObjectNode o = arr.addObject().put("field", c.field());
            if (c.from() != null) {
                o.set("from", c.from());
            }
            if (c.to() != null) {
                o.set("to", c.to());
            }
        }
        return arr;
    }
}
