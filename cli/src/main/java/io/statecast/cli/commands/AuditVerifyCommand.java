package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.Auditor;
import io.statecast.audit.SliceReport;
import io.statecast.audit.VerifyReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code audit verify}: recompute every partition's digest and compare with the checksums; exit 1 on a mismatch. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Recompute each partition's digest from the log and compare it with the checksums topic at each"
                + " comparable checkpoint; per-partition report; exit 1 on any mismatch.")
final class AuditVerifyCommand extends AuditOptions implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return run(() -> {
            try (Auditor a = auditor()) {
                VerifyReport r = a.verify();
                if (json) {
                    printJson(toJson(r));
                } else {
                    print(r);
                }
                return r.ok() ? 0 : 1;
            }
        });
    }

    private static ObjectNode toJson(VerifyReport r) {
        ObjectNode o = JSON.createObjectNode().put("ok", r.ok()).put("undecodableChecksums", r.undecodableChecksums());
        r.partitions().forEach(p -> {
            ObjectNode n = o.withArray("partitions")
                    .addObject()
                    .put("partition", p.partition())
                    .put("source", p.source())
                    .put("verified", p.verified())
                    .put("mismatched", p.mismatched())
                    .put("notComparable", p.notComparable())
                    .put("skippedRecords", p.skippedRecords())
                    .put("note", p.note());
            p.mismatches().forEach(m -> n.withArray("mismatches").add(JSON.valueToTree(m)));
        });
        o.putArray("slices");
        r.slices().forEach(s -> o.withArray("slices").add(JSON.valueToTree(s)));
        return o;
    }

    private void print(VerifyReport r) {
        out().printf(
                        "%9s %9s %10s %14s %8s  %s%n",
                        "PARTITION", "VERIFIED", "MISMATCHED", "NOT COMPARABLE", "SKIPPED", "SOURCE");
        r.partitions()
                .forEach(p -> out().printf(
                                "%9d %9d %10d %14d %8d  %s%s%n",
                                p.partition(),
                                p.verified(),
                                p.mismatched(),
                                p.notComparable(),
                                p.skippedRecords(),
                                p.source(),
                                p.note() == null ? "" : " (" + p.note() + ")"));
        r.partitions().forEach(p -> p.mismatches().forEach(m -> out().println("MISMATCH " + m.describe())));
        printSlices(r);
        if (r.undecodableChecksums() > 0) {
            out().println(r.undecodableChecksums() + " undecodable record(s) on the checksums topic were skipped");
        }
        out().println(
                        r.ok()
                                ? "OK: every comparable checksum matches the log"
                                        + (r.slices().isEmpty()
                                                ? ""
                                                : "; every slice equals the state projected by its field")
                                : "FAILED: " + failures(r));
    }

    private static String failures(VerifyReport r) {
        List<String> out = new ArrayList<>();
        List<String> partitions = r.partitions().stream()
                .filter(p -> p.mismatched() > 0)
                .map(p -> Integer.toString(p.partition()))
                .toList();
        if (!partitions.isEmpty()) {
            out.add("checksums of partition(s) " + partitions + " do not match the log");
        }
        r.slices().stream()
                .filter(s -> !s.ok())
                .forEach(s -> out.add(
                        "slice " + s.slice() + " has " + s.mismatches().size() + " mismatching checksum value(s) and "
                                + s.differences() + " difference(s) from the state"));
        return String.join("; ", out);
    }

    private void printSlices(VerifyReport r) {
        if (r.slices().isEmpty()) {
            return;
        }
        out().printf(
                        "%-24s %9s %10s %14s %11s %8s  %s%n",
                        "SLICE", "VERIFIED", "MISMATCHED", "NOT COMPARABLE", "DIFFERENCES", "SKIPPED", "FIELD");
        for (SliceReport s : r.slices()) {
            out().printf(
                            "%-24s %9d %10d %14d %11d %8d  %s%n",
                            s.slice(),
                            s.verified(),
                            s.mismatches().size(),
                            s.notComparable(),
                            s.differences(),
                            s.skippedRecords(),
                            s.field());
        }
        for (SliceReport s : r.slices()) {
            s.mismatches().forEach(m -> out().println("MISMATCH slice " + s.slice() + ": " + m.describe()));
            s.examples().forEach(e -> out().println("DIFFERENCE slice " + s.slice() + ": " + e));
        }
    }
}
