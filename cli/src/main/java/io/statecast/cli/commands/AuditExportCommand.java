package io.statecast.cli.commands;

import io.statecast.audit.Auditor;
import io.statecast.audit.Exporter;
import io.statecast.audit.PointInTime;
import io.statecast.audit.Table;
import io.statecast.common.Namespace;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit export [--as-of …] --format ndjson|csv --out FILE}: the table with payloads as JSON. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write the table (at its end, or --as-of a point) as NDJSON or CSV, payloads decoded to JSON through the schemas topic.")
final class AuditExportCommand extends AuditOptions implements Callable<Integer> {
    @Option(names = "--as-of", description = "ISO-8601 time or changes offsets P:O,… (default: the end of the log).")
    String asOf;

    @Option(names = "--format", required = true, description = "ndjson or csv.")
    String format;

    @Option(names = "--out", required = true, description = "Output file (overwritten).")
    Path file;

    @Override
    public Integer call() throws Exception {
        return run(() -> {
            Exporter.Format f = format();
            PointInTime p = asOf == null ? PointInTime.latest() : point(asOf, "--as-of");
            try (Auditor a = auditor();
                    Exporter e = new Exporter(kafka.kafka(), Namespace.of(namespace))) {
                Table t = a.asOf(p);
                caveat(t.caveat());
                int n;
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    n = e.export(t, f, w);
                }
                if (json) {
                    printJson(JSON.createObjectNode()
                            .put("exported", n)
                            .put("file", file.toString())
                            .put("source", t.source())
                            .put("caveat", t.caveat()));
                } else {
                    err().println("exported " + n + " entries to " + file);
                }
            }
            return 0;
        });
    }

    private Exporter.Format format() {
        try {
            return Exporter.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--format must be ndjson or csv, was '" + format + "'");
        }
    }
}
