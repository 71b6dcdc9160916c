package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.Auditor;
import io.statecast.audit.Diff;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit diff --from T1 --to T2}: keys added, removed and changed, with versions and field changes. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Keys added, removed and changed between two points, with versions; each changed key with its",
            "field-level changes (node: node-3 → node-9), as audit history prints them."
        })
final class AuditDiffCommand extends AuditOptions implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "ISO-8601 time (or changes offsets P:O,…).")
    String from;

    @Option(names = "--to", required = true, description = "ISO-8601 time (or changes offsets P:O,…).")
    String to;

    @Override
    public Integer call() throws Exception {
        return run(() -> {
            try (Auditor a = auditor()) {
                Diff d = a.diff(point(from, "--from"), point(to, "--to"));
                caveat(d.caveat());
                if (json) {
                    printJson(toJson(d));
                } else {
                    print(d);
                }
            }
            return 0;
        });
    }

    private static ObjectNode toJson(Diff d) {
        ObjectNode o = JSON.createObjectNode().put("caveat", d.caveat());
        o.putArray("added");
        o.putArray("removed");
        o.putArray("changed");
        d.added()
                .forEach(e ->
                        o.withArray("added").addObject().put("key", e.key()).put("version", e.version()));
        d.removed()
                .forEach(e ->
                        o.withArray("removed").addObject().put("key", e.key()).put("version", e.version()));
        d.changed()
                .forEach(c -> o.withArray("changed")
                        .addObject()
                        .put("key", c.key())
                        .put("fromVersion", c.fromVersion())
                        .put("toVersion", c.toVersion())
                        .set("changes", FieldChanges.toJson(c.changes())));
        return o;
    }

    private void print(Diff d) {
        d.added().forEach(e -> out().println("+ " + e.key() + " (v" + e.version() + ")"));
        d.removed().forEach(e -> out().println("- " + e.key() + " (was v" + e.version() + ")"));
        d.changed().forEach(c -> {
            out().println("~ " + c.key() + " v" + c.fromVersion() + " -> v" + c.toVersion());
            FieldChanges.print(out(), "    ", c.changes());
        });
        out().println(d.added().size() + " added, " + d.removed().size() + " removed, "
                + d.changed().size() + " changed");
    }
}
