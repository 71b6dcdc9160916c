package io.statecast.materializer.internal;

import io.statecast.materializer.NamespaceStatus;
import java.util.List;
import java.util.stream.Collectors;

/** The materializer's HTTP {@code /}: the namespace's status as a small self-contained HTML page (no script). */
public final class StatusPage {
    private StatusPage() {}

    /** The page of {@code s}; it reloads itself every 10 s. */
    public static String html(NamespaceStatus s) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"10\"><link rel=\"icon\" href=\"data:,\"><title>Statecast "
                + esc(s.namespace())
                + "</title><style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.5em 0 1.2em}"
                + "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}th{background:#f3f3f3}"
                + ".num{text-align:right}</style></head><body>\n"
                + "<h1>Namespace " + esc(s.namespace()) + "</h1><p id=\"at\">as of " + s.at() + "</p>\n"
                + topics("Topics", "topics", s.topics())
                + group(s.materializers())
                + partitions(s)
                + "<h2>State</h2><table id=\"state\"><tr><th>entries</th><td class=\"num\">" + count(s.entries())
                + "</td></tr><tr><th>bytes on disk (leaders)</th><td class=\"num\">" + count(s.stateBytes())
                + "</td></tr></table>\n"
                + rejections(s)
                + topics("Slices", "slices", s.slices())
                + "</body></html>\n";
    }

    private static String topics(String title, String id, List<NamespaceStatus.Topic> topics) {
        if (topics.isEmpty()) {
            return "<h2>" + title + "</h2><p id=\"" + id + "\">none</p>\n";
        }
        return "<h2>" + title + "</h2><table id=\"" + id + "\"><tr><th>topic</th><th>partitions</th></tr>"
                + topics.stream()
                        .map(t -> row(esc(t.name()), t.exists() ? String.valueOf(t.partitions()) : "missing"))
                        .collect(Collectors.joining())
                + "</table>\n";
    }

    private static String group(NamespaceStatus.Group g) {
        String rows = g.instances().stream()
                .map(i -> row(esc(i.clientId()), esc(i.host()), join(i.partitions())))
                .collect(Collectors.joining());
        return "<h2>Materializer instances</h2><p>group " + esc(g.id()) + ": " + esc(g.state()) + ", "
                + g.instances().size() + " instance(s)</p><table id=\"instances\"><tr><th>client id</th><th>host</th>"
                + "<th>partitions</th></tr>" + rows + "</table>\n";
    }

    private static String partitions(NamespaceStatus s) {
        String rows = s.partitions().stream()
                .map(p -> row(
                        String.valueOf(p.partition()),
                        String.valueOf(p.end()),
                        p.committed() < 0 ? "none" : String.valueOf(p.committed()),
                        count(p.lag()),
                        esc(p.owner()),
                        p.lastChecksum() == null
                                ? "none recently"
                                : p.lastChecksum().toString(),
                        count(p.entries())))
                .collect(Collectors.joining());
        return "<h2>Partitions</h2><table id=\"partitions\"><tr><th>partition</th><th>changes end</th>"
                + "<th>committed</th><th>lag</th><th>owner</th><th>last checksum</th><th>entries</th></tr>" + rows
                + "</table>\n";
    }

    private static String rejections(NamespaceStatus s) {
        String rows = s.rejectionsLastHour().entrySet().stream()
                .map(e -> row(esc(e.getKey()), String.valueOf(e.getValue())))
                .collect(Collectors.joining());
        return "<h2>Rejections in the last hour</h2>"
                + (rows.isEmpty()
                        ? "<p id=\"rejections\">none</p>\n"
                        : "<table id=\"rejections\"><tr><th>reason</th><th>count</th></tr>" + rows + "</table>\n");
    }

    private static String row(String... cells) {
        StringBuilder b = new StringBuilder("<tr>");
        for (String c : cells) {
            b.append("<td>").append(c).append("</td>");
        }
        return b.append("</tr>").toString();
    }

    private static String join(List<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String count(long n) {
        return n < 0 ? "unknown" : String.valueOf(n);
    }

    static String esc(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
