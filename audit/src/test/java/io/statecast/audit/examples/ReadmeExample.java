package io.statecast.audit.examples;

import io.statecast.audit.Auditor;
import io.statecast.audit.Diff;
import io.statecast.audit.Entry;
import io.statecast.audit.Exporter;
import io.statecast.audit.PointInTime;
import io.statecast.audit.Table;
import io.statecast.audit.VerifyReport;
import io.statecast.common.Namespace;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The snippet audit/README.md quotes, compiled so that it cannot rot. */
final class ReadmeExample {
    private ReadmeExample() {}

    static boolean audit(String servers, Writer out) {
        // README begin
        Map<String, Object> kafka = Map.of("bootstrap.servers", servers);
        try (Auditor auditor = new Auditor(kafka, Namespace.of("k8s"));
                Exporter exporter = new Exporter(kafka, Namespace.of("k8s"))) {
            Table t = auditor.asOf(PointInTime.at(Instant.parse("2026-11-24T10:00:00Z")));
            List<Entry> versions = auditor.history("default/web-1"); // oldest first, deletes included
            Diff d = auditor.diff(PointInTime.parse("2026-11-24T10:00:00Z"), PointInTime.latest());
            exporter.export(t, Exporter.Format.NDJSON, out); // payloads as JSON
            VerifyReport report = auditor.verify(); // report.ok() is false on any mismatch
            // README end
            return report.ok() && !versions.isEmpty() && d.caveat() == null;
        }
    }
}
