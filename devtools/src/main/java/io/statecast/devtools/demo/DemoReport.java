package io.statecast.devtools.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The demo's report: one self-contained HTML file (charts inlined as SVG, no script, nothing fetched when
 * it is viewed) with the summary and four charts: bytes fetched per second by wave, time to ready per
 * agent, the read-your-writes latencies, checksums verified over the run.
 */
final class DemoReport {
    /** The chart elements' ids, in the page's order (tests look for each one). */
    static final List<String> CHARTS = List.of("bytes-per-second", "time-to-ready", "read-your-writes", "checksums");

    /**
     * What the report shows: the run's title, its summary lines, what the recorder recorded, and what the
     * read-your-writes latencies measure ({@link PodSink#latency()}).
     */
    record Data(
            String title,
            List<String> summary,
            List<DemoRecorder.Sample> samples,
            List<DemoRecorder.Readiness> readiness,
            Histogram readYourWrites,
            String latency) {}

    private DemoReport() {}

    /** Writes the report to {@code file}. */
    static void write(Data d, Path file) {
        try {
            Files.writeString(file, html(d), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the demo's report " + file, e);
        }
    }

    /** The page. */
    static String html(Data d) {
        StringBuilder b = new StringBuilder(256 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<title>")
                .append(escape(d.title()))
                .append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}")
                .append("pre{background:#f4f4f4;padding:1em;overflow-x:auto}")
                .append("figure{margin:2em 0}figcaption{color:#555;margin-top:.3em}")
                .append("</style></head><body>\n<h1>")
                .append(escape(d.title()))
                .append("</h1>\n<h2>Summary</h2>\n<pre id=\"summary\">");
        d.summary().stream()
                .filter(line -> !line.isBlank() && !line.equals("Summary")) // the heading is the page's
                .forEach(line -> b.append(escape(line)).append('\n'));
        b.append("</pre>\n");
        figure(
                b,
                CHARTS.get(0),
                DemoCharts.svg(DemoCharts.bytesPerSecond(d.samples()), CHARTS.get(0)),
                "A wave without splay fetches at once; with a splay the same bytes spread over the splay. A slice view"
                        + " reads only its node's partition of the by-node slice, a whole-table view every pod.");
        figure(
                b,
                CHARTS.get(1),
                DemoCharts.svg(DemoCharts.timeToReady(d.readiness()), CHARTS.get(1)),
                "Each dot is an agent: when it started and how long its bootstrap took.");
        figure(
                b,
                CHARTS.get(2),
                DemoCharts.svg(DemoCharts.readYourWrites(d.readYourWrites()), CHARTS.get(2)),
                "Read-your-writes, " + d.latency() + " of the pod's node.");
        figure(
                b,
                CHARTS.get(3),
                DemoCharts.svg(DemoCharts.checksums(d.samples()), CHARTS.get(3)),
                "Every agent compares its digest with the materializer's checksums as they arrive.");
        return b.append("</body></html>\n").toString();
    }

    private static void figure(StringBuilder b, String id, String svg, String caption) {
        b.append("<figure id=\"figure-")
                .append(id)
                .append("\">")
                .append(svg)
                .append("<figcaption>")
                .append(escape(caption))
                .append("</figcaption></figure>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
