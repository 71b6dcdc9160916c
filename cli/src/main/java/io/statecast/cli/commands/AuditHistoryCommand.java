package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.statecast.audit.Auditor;
import io.statecast.audit.Entry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code audit history KEY}: every version of a key. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Every version of a key: time, version, op, origin (producer id, changes partition/offset).")
final class AuditHistoryCommand extends AuditOptions implements Callable<Integer> {
    @Parameters(index = "0", description = "The key (UTF-8).")
    String key;

    @Override
    public Integer call() throws Exception {
        return run(() -> {
            try (Auditor a = auditor()) {
                print(a.history(key));
            }
            return 0;
        });
    }

    private void print(List<Entry> versions) {
        if (json) {
            ArrayNode arr = JSON.createArrayNode();
            versions.forEach(e -> arr.addObject()
                    .put("key", e.key())
                    .put("version", e.version())
                    .put("op", e.op())
                    .put("time", e.time().toString())
                    .put("producerId", e.producerId())
                    .put("partition", e.partition())
                    .put("srcOffset", e.srcOffset()));
            printJson(arr);
            return;
        }
        out().printf(
                        "%-26s %8s %-7s %-20s %s%n",
                        "TIME", "VERSION", "OP", "PRODUCER", "ORIGIN (changes partition@offset)");
        versions.forEach(e -> out().printf(
                        "%-26s %8d %-7s %-20s %d@%d%n",
                        e.time(), e.version(), e.op(), e.producerId(), e.partition(), e.srcOffset()));
    }
}
