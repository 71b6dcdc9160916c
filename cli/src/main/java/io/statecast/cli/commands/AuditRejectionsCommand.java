package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.Auditor;
import io.statecast.audit.PointInTime;
import io.statecast.audit.Rejections;
import io.statecast.schemas.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit rejections [--since T]}: the rejected inputs with their reasons. */
@Command(name = "rejections", mixinStandardHelpOptions = true, description = "The rejected inputs with their reasons.")
final class AuditRejectionsCommand extends AuditOptions implements Callable<Integer> {
    @Option(names = "--since", description = "ISO-8601 time: only rejections at or after it.")
    String since;

    @Override
    public Integer call() throws Exception {
        return run(() -> {
            PointInTime p = since == null ? null : point(since, "--since");
            if (p != null && p.time() == null) {
                throw usage("--since takes an ISO-8601 time, e.g. 2026-11-24T10:00:00Z");
            }
            try (Auditor a = auditor()) {
                Rejections rs = a.rejections(p == null ? null : p.time());
                if (json) {
                    ObjectNode o = JSON.createObjectNode().put("undecodable", rs.undecodable());
                    o.putArray("rejections");
                    rs.rejections().forEach(r -> o.withArray("rejections").add(toJson(r)));
                    printJson(o);
                } else {
                    rs.rejections()
                            .forEach(r -> out().printf(
                                            "%s %-22s %s@%d key=%s: %s%n",
                                            r.getRejectedAt(),
                                            r.getReason(),
                                            r.getPartition(),
                                            r.getOffset(),
                                            text(r.getRawKey()),
                                            r.getMessage()));
                    out().println(rs.rejections().size() + " rejection(s)"
                            + (rs.undecodable() > 0 ? ", " + rs.undecodable() + " undecodable record(s) skipped" : ""));
                }
            }
            return 0;
        });
    }

    private static ObjectNode toJson(Rejection r) {
        return JSON.createObjectNode()
                .put("reason", r.getReason().name())
                .put("message", r.getMessage())
                .put("key", text(r.getRawKey()))
                .put("topic", r.getTopic())
                .put("partition", r.getPartition())
                .put("offset", r.getOffset())
                .put("rejectedAt", r.getRejectedAt().toString())
                .put(
                        "rawValue",
                        r.getRawValue() == null ? null : Base64.getEncoder().encodeToString(bytes(r.getRawValue())));
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : new String(bytes(b), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
