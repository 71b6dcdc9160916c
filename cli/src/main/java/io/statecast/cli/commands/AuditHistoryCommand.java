package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.Auditor;
import io.statecast.audit.Entry;
import io.statecast.audit.Version;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code audit history KEY}: every version of a key, its value and what changed. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = {
            "Every version of a key: time, version, op, origin (producer id, changes partition/offset),",
            "the value (decoded with its writer schema) and the fields changed since the version before."
        })
final class AuditHistoryCommand extends AuditOptions implements Callable<Integer> {
    @Parameters(index = "0", description = "The key (UTF-8).")
    String key;

    @Override
    public Integer call() throws Exception {
        return run(() -> {
            try (Auditor a = auditor()) {
                print(a.versions(key));
            }
            return 0;
        });
    }

    private void print(List<Version> versions) {
        if (json) {
            ArrayNode arr = JSON.createArrayNode();
            versions.forEach(v -> toJson(arr.addObject(), v));
            printJson(arr);
            return;
        }
        out().printf(
                        "%-26s %8s %-7s %-20s %s%n",
                        "TIME", "VERSION", "OP", "PRODUCER", "ORIGIN (changes partition@offset)");
        versions.forEach(this::print);
    }

    private void print(Version v) {
        Entry e = v.entry();
        out().printf(
                        "%-26s %8d %-7s %-20s %d@%d%n",
                        e.time(), e.version(), e.op(), e.producerId(), e.partition(), e.srcOffset());
        if (v.previousVersion() > 0 && v.previousVersion() < e.version() - 1) {
            out().printf("    (versions %d..%d are no longer in the log)%n", v.previousVersion() + 1, e.version() - 1);
        }
        FieldChanges.print(out(), "    ", v.changes());
        if (v.value() != null) {
            out().println("    value: " + v.value());
        }
    }

    private static void toJson(ObjectNode o, Version v) {
        Entry e = v.entry();
        o.put("key", e.key())
                .put("version", e.version())
                .put("op", e.op())
                .put("time", e.time().toString())
                .put("producerId", e.producerId())
                .put("partition", e.partition())
                .put("srcOffset", e.srcOffset());
        o.set("value", v.value() == null ? o.nullNode() : v.value());
        o.put("previousVersion", v.previousVersion());
        o.set("changes", FieldChanges.toJson(v.changes()));
    }
}
