package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.Auditor;
import io.statecast.audit.Exporter;
import io.statecast.audit.PointInTime;
import io.statecast.audit.Table;
import io.statecast.common.Namespace;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit as-of (--time T | --offsets P:O,…)}: the table as it was. */
@Command(
        name = "as-of",
        mixinStandardHelpOptions = true,
        description =
                "The table as it was at a time or at changes offsets (from history when present, else from state with a caveat).")
final class AuditAsOfCommand extends AuditOptions implements Callable<Integer> {

    /** Exactly one of --time and --offsets. */
    static final class Point {
        @Option(names = "--time", required = true, description = "ISO-8601 time, e.g. 2026-11-24T10:00:00Z.")
        String time;

        @Option(names = "--offsets", required = true, description = "changes offsets per partition: P:O,P:O,…")
        String offsets;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Point point;

    @Override
    public Integer call() throws Exception {
        return run(() -> {
            PointInTime p = point.time != null ? point(point.time, "--time") : point(point.offsets, "--offsets");
            try (Auditor a = auditor()) {
                print(a.asOf(p));
            }
            return 0;
        });
    }

    private void print(Table t) {
        caveat(t.caveat());
        if (json) {
            ObjectNode o = JSON.createObjectNode()
                    .put("source", t.source())
                    .put("caveat", t.caveat())
                    .put("skipped", t.skipped());
            try (Exporter e = new Exporter(kafka.kafka(), Namespace.of(namespace))) {
                t.entries().values().forEach(entry -> o.withArray("entries").add(e.row(entry)));
            }
            o.withArray("entries");
            printJson(o);
            return;
        }
        out().printf("%-40s %8s %5s %10s  %s%n", "KEY", "VERSION", "PART", "SRCOFFSET", "UPDATED");
        t.entries()
                .values()
                .forEach(e -> out().printf(
                                "%-40s %8d %5d %10d  %s%n",
                                e.key(), e.version(), e.partition(), e.srcOffset(), e.time()));
        out().println(t.entries().size() + " entries (from " + t.source()
                + (t.skipped() > 0 ? ", " + t.skipped() + " foreign records skipped" : "") + ")");
    }
}
