package io.statecast.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.testkit.HeadlessChromium;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DemoIT {
    private static final List<String> CHARTS =
            List.of("bytes-per-second", "time-to-ready", "read-your-writes", "checksums");

    // What the demo may print: its own broker's start, and the lines every demo prints.
    private static final Pattern ALLOWED =
            DemoProcess.allowed("Starting an embedded Kafka broker \\(KRaft\\)\\.\\.\\.");

    // The summary's line on the bytes fetched until ready, per agent of each kind.
    private static final Pattern TO_READY = Pattern.compile("fetched per agent to be ready: ([0-9.]+) KB with slices"
            + " \\((\\d+) agents\\), ([0-9.]+) KB without \\((\\d+) agents\\)");

    /**
     * The shipped dev jar in its own JVM, with its own embedded broker, as {@code bin/statecast demo} runs
     * it: the console shows only the demo's own lines, the logs go to the run directory, the parts stop
     * in order (agents, materializers, broker) before the summary, and the report's charts all draw. The
     * agents are slice views of their node, and a third wave of whole-table views fetches more for the same
     * pods; every agent of either kind holds exactly its node's pods of the authoritative table.
     */
    @Test
    void printsOnlyItsOwnLinesLogsToTheRunDirectoryAndWritesAReportWhoseChartsDraw(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        Process demo = DemoProcess.start(
                new ProcessBuilder(DemoProcess.command(
                        "demo",
                        "--nodes",
                        "3",
                        "--pods",
                        "200",
                        "--agents",
                        "3",
                        "--rate",
                        "150",
                        "--duration",
                        "10",
                        "--splay",
                        "2",
                        "--run-dir",
                        runDir.toString())),
                dir);
        String out = DemoProcess.succeeded(demo, dir, ALLOWED);
        List<String> lines = out.lines().toList();
        assertTrue(
                out.contains("OK: all 12 agents' views equal the authoritative table for their node (9 slice views,"
                        + " 3 whole-table views)."),
                out);
        assertTrue(out.contains("scale-up 2 (splay 2 s, slices)") && out.contains("read-your-writes"), out);
        assertTrue(out.contains("scale-up 3 (no splay, whole table)"), out);
        Matcher fetched = TO_READY.matcher(out);
        assertTrue(fetched.find(), out);
        assertEquals("9", fetched.group(2), "slice views that became ready: " + fetched.group());
        assertEquals("3", fetched.group(4), "whole-table views that became ready: " + fetched.group());
        assertTrue(
                Double.parseDouble(fetched.group(1)) < Double.parseDouble(fetched.group(3)),
                "a slice view fetches less than a whole-table view of the same node's pods: " + fetched.group());
        assertEquals("Logs: " + runDir.resolve("demo.log").toAbsolutePath(), lines.get(lines.size() - 1));
        assertEquals("Report: " + runDir.resolve("report.html").toAbsolutePath(), lines.get(lines.size() - 2));

        List<String> log = Files.readAllLines(runDir.resolve("demo.log"), StandardCharsets.UTF_8);
        assertTrue(log.stream().anyMatch(l -> l.contains("ready:")), "the views' logs are in the file");
        assertStoppedInOrder(log);
        assertFalse(Files.exists(runDir.resolve("work")), "the broker's and materializers' data are removed");
        assertEveryChartDraws(runDir.resolve("report.html"));
    }

    /** With --no-slices the agents are whole-table views (the comparison wave slice views), checked alike. */
    @Test
    void withNoSlicesTheFinalCheckFailsWhenAWholeTableAgentsViewIsCorruptedWithSelfHealOff(
            KafkaFixture kafka, @TempDir Path dir) {
        DevCli.Run run = DevCli.run(
                "demo",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--nodes",
                "3",
                "--pods",
                "200",
                "--agents",
                "2",
                "--rate",
                "100",
                "--duration",
                "6",
                "--splay",
                "1",
                "--corrupt-agent",
                "1",
                "--no-slices",
                "--run-dir",
                dir.toString());
        assertEquals(1, run.exit(), run.out());
        assertTrue(
                run.out().contains("FAILED: these agents' views differ")
                        && run.out().contains("node-1"),
                run.out());
        assertTrue(run.out().contains("starting one agent per node (whole table)"), run.out());
        assertTrue(run.out().contains("scale-up 3 (no splay, slices)"), run.out());
        Matcher fetched = TO_READY.matcher(run.out());
        assertTrue(fetched.find(), run.out());
        assertEquals("2", fetched.group(2), "the comparison wave's slice views: " + fetched.group());
        assertEquals("7", fetched.group(4), "the whole-table agents: " + fetched.group());
        assertTrue(Files.exists(dir.resolve("report.html")), "a failed run has its report too");
    }

    // The agents stop while the broker answers, then the materializers, then the broker; the demo's
    // "finished" line is the log's last: nothing runs on after the summary.
    private static void assertStoppedInOrder(List<String> log) {
        int agents = DemoProcess.indexOf(log, "Stopped the agents");
        int materializers = DemoProcess.indexOf(log, "Stopped the materializers");
        int broker = DemoProcess.indexOf(log, "Stopped the broker");
        assertTrue(0 <= agents && agents < materializers && materializers < broker, "stop order in the log: " + log);
        assertTrue(log.get(log.size() - 1).contains("Demo finished (exit 0)"), "the last log line: " + log);
    }

    // In a real browser: every chart is an SVG of its full size, with its title and axis labels, and with
    // its data drawn: shapes of JFreeChart's series colours with a size (bars, points, line segments; a
    // legend has at most three, the read-your-writes chart none). The page has no error (it fetches nothing).
    private static void assertEveryChartDraws(Path report) {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            chromium.driver().get(report.toUri().toString());
            for (String id : CHARTS) {
                String drawn = String.valueOf(chromium.script(DRAWN, id));
                String[] parts = drawn.split(" ");
                assertEquals(4, parts.length, id + ": " + drawn);
                assertTrue(
                        Double.parseDouble(parts[0]) >= 800 && Double.parseDouble(parts[1]) >= 300,
                        id + " (width height data text): " + drawn);
                int minimum = id.equals("read-your-writes") ? 1 : 6;
                assertTrue(Integer.parseInt(parts[2]) >= minimum, id + " has its data drawn: " + drawn);
                assertTrue(Integer.parseInt(parts[3]) > 20, id + " has its title and axis labels: " + drawn);
            }
            String legend = String.valueOf(
                    chromium.script("return document.querySelector('#figure-bytes-per-second svg').textContent"));
            assertTrue(
                    legend.contains("slices") && legend.contains("whole table"),
                    "the bytes chart has slice and whole-table waves: " + legend);
            assertEquals(List.of(), chromium.errors());
        }
    }

    private static final String DRAWN = String.join(
            "\n",
            "const s = document.querySelector('#figure-' + arguments[0] + ' svg');",
            "if (!s) return 'no svg';",
            "const r = s.getBoundingClientRect();",
            "const series = ['rgb(255, 85, 85)', 'rgb(85, 85, 255)', 'rgb(85, 255, 85)'];",
            "let data = 0;",
            "for (const e of s.querySelectorAll('line, path, rect, ellipse, circle, polygon, polyline')) {",
            "  const c = getComputedStyle(e);",
            "  const b = e.getBBox();",
            "  if ((series.includes(c.stroke) || series.includes(c.fill)) && (b.width > 0 || b.height > 0)) data++;",
            "}",
            "return [r.width, r.height, data, s.textContent.length].join(' ');");
}
