package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.Auditor;
import io.statecast.audit.Diff;
import io.statecast.audit.Entry;
import io.statecast.audit.Exporter;
import io.statecast.audit.PointInTime;
import io.statecast.audit.Table;
import io.statecast.audit.VerifyReport;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.schemas.Rejection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code statecast audit …}: read-only replays for auditors. Exit 0 ok, 1 mismatch or failure, 2 usage. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Read-only replays of a namespace: no writes, no consumer group, no committed offsets.",
        subcommands = {AuditCommand.AsOf.class, AuditCommand.History.class, AuditCommand.Verify.class,
            AuditCommand.DiffCmd.class, AuditCommand.Export.class, AuditCommand.Rejections.class})
public final class AuditCommand {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Options every audit subcommand takes. */
    static class Common {
        @Mixin KafkaOptions kafka;
        @Spec CommandSpec spec;

        @Option(names = "--namespace", required = true, description = "Namespace to audit.")
        String namespace;

        @Option(names = "--json", description = "Machine-readable JSON output.")
        boolean json;

        Auditor auditor() {
            Auditor a = new Auditor(kafka.kafka(), Namespace.of(namespace));
            if (System.console() != null) { // progress on a terminal only
                a.onProgress((topic, pct) -> {
                    spec.commandLine().getErr().printf("\rreading %s: %.0f%%%s", topic, pct, pct >= 100 ? "\n" : "");
                    spec.commandLine().getErr().flush();
                });
            }
            return a;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void caveat(String caveat) {
            if (caveat != null) {
                spec.commandLine().getErr().println("caveat: " + caveat);
                spec.commandLine().getErr().flush();
            }
        }
    }

    /** --time or --offsets. */
    static class Point {
        @Option(names = "--time", description = "ISO-8601 time, e.g. 2026-11-24T10:00:00Z.")
        String time;

        @Option(names = "--offsets", description = "changes offsets per partition, P:O,P:O…")
        String offsets;

        PointInTime point() {
            if (time != null) {
                return PointInTime.at(instant(time));
            }
            return offsets != null ? PointInTime.parseOffsets(offsets) : PointInTime.latest();
        }
    }

    static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new StatecastException("Not an ISO-8601 instant: '" + s + "' (example: 2026-11-24T10:00:00Z)");
        }
    }

    static void print(Common c, Table t) throws IOException {
        c.caveat(t.caveat());
        if (c.json) {
            ArrayNode a = JSON.createArrayNode();
            try (Exporter e = new Exporter(c.kafka.kafka(), Namespace.of(c.namespace))) {
                t.entries().values().forEach(entry -> a.add(e.row(entry)));
            }
            c.out().println(JSON.writeValueAsString(a));
        } else {
            c.out().printf("%-40s %8s %5s %10s  %s%n", "KEY", "VERSION", "PART", "SRCOFFSET", "UPDATED");
            t.entries().values().forEach(e -> c.out().printf("%-40s %8d %5d %10d  %s%n", e.key(), e.version(), e.partition(), e.srcOffset(), e.time()));
            c.out().println(t.entries().size() + " entries (from " + t.source() + ")");
        }
        c.out().flush();
    }

    /** {@code audit as-of}. */
    @Command(name = "as-of", mixinStandardHelpOptions = true, description = "The table as it was at a time or at changes offsets.")
    static final class AsOf extends Common implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Point point;

        @Override
        public Integer call() throws IOException {
            try (Auditor a = auditor()) {
                print(this, a.asOf(point.point()));
            }
            return 0;
        }
    }

    /** {@code audit history KEY}. */
    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every version of a key.")
    static final class History extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "The key.")
        String key;

        @Override
        public Integer call() throws IOException {
            try (Auditor a = auditor()) {
                List<Entry> versions = a.history(key);
                if (json) {
                    ArrayNode arr = JSON.createArrayNode();
                    versions.forEach(e -> arr.add(JSON.createObjectNode().put("version", e.version()).put("op", e.isDelete() ? "DELETE" : "UPSERT")
                            .put("time", e.time().toString()).put("producerId", e.producerId()).put("partition", e.partition()).put("srcOffset", e.srcOffset())));
                    out().println(JSON.writeValueAsString(arr));
                } else {
                    out().printf("%8s %-7s %-30s %-20s %s%n", "VERSION", "OP", "TIME", "PRODUCER", "ORIGIN (changes partition@offset)");
                    versions.forEach(e -> out().printf("%8d %-7s %-30s %-20s %d@%d%n", e.version(), e.isDelete() ? "DELETE" : "UPSERT",
                            e.time(), e.producerId(), e.partition(), e.srcOffset()));
                }
                out().flush();
            }
            return 0;
        }
    }

    /** {@code audit verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute each partition's digest from the log and compare it with every checksum; exit 1 on any mismatch.")
    static final class Verify extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            try (Auditor a = auditor()) {
                VerifyReport r = a.verify();
                if (json) {
                    out().println(JSON.writeValueAsString(r));
                } else {
                    out().printf("source: %s%n%9s %9s %10s %14s%n", r.source(), "PARTITION", "VERIFIED", "MISMATCHED", "NOT COMPARABLE");
                    r.partitions().forEach(p -> out().printf("%9d %9d %10d %14d%n", p.partition(), p.verified(), p.mismatched(), p.notComparable()));
                    r.partitions().forEach(p -> p.mismatches().forEach(m -> out().println("MISMATCH " + m)));
                    out().println(r.ok() ? "OK: every comparable checksum matches the log" : "FAILED: checksums do not match the log");
                }
                out().flush();
                return r.ok() ? 0 : 1;
            }
        }
    }

    /** {@code audit diff}. */
    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Keys added, removed and changed between two times.")
    static final class DiffCmd extends Common implements Callable<Integer> {
        @Option(names = "--from", required = true, description = "ISO-8601 time.")
        String from;

        @Option(names = "--to", required = true, description = "ISO-8601 time.")
        String to;

        @Override
        public Integer call() throws IOException {
            try (Auditor a = auditor()) {
                Diff d = a.diff(PointInTime.at(instant(from)), PointInTime.at(instant(to)));
                caveat(d.caveat());
                if (json) {
                    ObjectNode o = JSON.createObjectNode();
                    ArrayNode added = o.putArray("added");
                    d.added().forEach(e -> added.add(JSON.createObjectNode().put("key", e.key()).put("version", e.version())));
                    ArrayNode removed = o.putArray("removed");
                    d.removed().forEach(e -> removed.add(JSON.createObjectNode().put("key", e.key()).put("version", e.version())));
                    ArrayNode changed = o.putArray("changed");
                    d.changed().forEach(c -> changed.add(JSON.createObjectNode().put("key", c.key()).put("fromVersion", c.fromVersion()).put("toVersion", c.toVersion())));
                    out().println(JSON.writeValueAsString(o));
                } else {
                    d.added().forEach(e -> out().println("+ " + e.key() + " (v" + e.version() + ")"));
                    d.removed().forEach(e -> out().println("- " + e.key() + " (was v" + e.version() + ")"));
                    d.changed().forEach(c -> out().println("~ " + c.key() + " v" + c.fromVersion() + " -> v" + c.toVersion()));
                    out().println(d.added().size() + " added, " + d.removed().size() + " removed, " + d.changed().size() + " changed");
                }
                out().flush();
            }
            return 0;
        }
    }

    /** {@code audit export}. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the table (now or --as-of TIME) as NDJSON or CSV, payloads as JSON.")
    static final class Export extends Common implements Callable<Integer> {
        @Option(names = "--as-of", description = "ISO-8601 time (default: now).")
        String asOf;

        @Option(names = "--format", defaultValue = "ndjson", description = "ndjson or csv (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", required = true, description = "Output file.")
        Path out;

        @Override
        public Integer call() throws IOException {
            Exporter.Format f;
            try {
                f = Exporter.Format.valueOf(format.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new StatecastException("--format must be ndjson or csv, was " + format);
            }
            try (Auditor a = auditor(); Exporter e = new Exporter(kafka.kafka(), Namespace.of(namespace));
                    Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                Table t = a.asOf(asOf == null ? PointInTime.latest() : PointInTime.at(instant(asOf)));
                caveat(t.caveat());
                int n = e.export(t, f, w);
                spec.commandLine().getErr().println("exported " + n + " entries to " + out);
            }
            return 0;
        }
    }

    /** {@code audit rejections}. */
    @Command(name = "rejections", mixinStandardHelpOptions = true, description = "The rejected inputs with their reasons.")
    static final class Rejections extends Common implements Callable<Integer> {
        @Option(names = "--since", description = "ISO-8601 time.")
        String since;

        @Override
        public Integer call() throws IOException {
            try (Auditor a = auditor()) {
                List<Rejection> rs = a.rejections(since == null ? null : instant(since));
                for (Rejection r : rs) {
                    String key = r.getRawKey() == null ? null : new String(bytes(r.getRawKey()), StandardCharsets.UTF_8);
                    if (json) {
                        out().println(JSON.writeValueAsString(JSON.createObjectNode().put("reason", r.getReason().name())
                                .put("message", r.getMessage()).put("key", key).put("partition", r.getPartition()).put("offset", r.getOffset())
                                .put("rejectedAt", r.getRejectedAt().toString())
                                .put("rawValue", r.getRawValue() == null ? null : Base64.getEncoder().encodeToString(bytes(r.getRawValue())))));
                    } else {
                        out().printf("%s %-22s %s@%d key=%s: %s%n", r.getRejectedAt(), r.getReason(), r.getPartition(), r.getOffset(), key, r.getMessage());
                    }
                }
                if (!json) {
                    out().println(rs.size() + " rejection(s)");
                }
                out().flush();
            }
            return 0;
        }

        private static byte[] bytes(java.nio.ByteBuffer b) {
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            return out;
        }
    }
}
