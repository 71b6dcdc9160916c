package io.statecast.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The shipped dev jar's demo in a JVM of its own, as {@code bin/statecast demo} runs it, for the demo's tests. */
final class DemoProcess {
    // What every demo may print, whatever its source: its phases, the status line, the waves, the summary,
    // the two paths.
    private static final List<String> SHARED_LINES = List.of(
            "Creating namespaces .* and starting their materializers\\.\\.\\.",
            "Cluster of \\d+ nodes and \\d+ pods written; starting one agent per node \\((slices|whole table)\\)\\.",
            "t= *\\d+s  changes=.*",
            "Scale-up wave \\d: .*",
            "Churn stopped; checking every agent against the authoritative table\\.\\.\\.",
            "",
            "Summary",
            "  .*",
            "OK: all \\d+ agents' views equal the authoritative table for their node \\(\\d+ slice views, \\d+"
                    + " whole-table views\\)\\.",
            "Report: .*report\\.html",
            "Logs: .*demo\\.log");

    private DemoProcess() {}

    /** The lines a demo may print: those of its source, and those every demo prints. */
    static Pattern allowed(String... ownLines) {
        List<String> lines = new ArrayList<>(List.of(ownLines));
        lines.addAll(SHARED_LINES);
        return Pattern.compile(String.join("|", lines));
    }

    /** {@code java -jar target/statecast-dev.jar} followed by {@code args}. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the process with its output in {@code out.txt} and its errors in {@code err.txt} of {@code dir}. */
    static Process start(ProcessBuilder pb, Path dir) throws IOException {
        return pb.redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
    }

    /**
     * Waits for the demo to end and asserts it succeeded: exit 0, nothing on stderr (the logs go to the run
     * directory), only lines {@code allowed} matches on stdout.
     *
     * @return what it printed on stdout
     */
    static String succeeded(Process demo, Path dir, Pattern allowed) throws IOException, InterruptedException {
        assertTrue(demo.waitFor(240, TimeUnit.SECONDS), "the demo ended");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(0, demo.exitValue(), out + err);
        assertEquals("", err, "nothing on stderr: the logs go to the run directory");
        for (String line : out.lines().toList()) {
            assertTrue(allowed.matcher(line).matches(), "a line that is not the demo's own: '" + line + "' in\n" + out);
        }
        return out;
    }

    /** The index of the first line of {@code log} that contains {@code text}, or -1. */
    static int indexOf(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path jar() {
        Path jar = Path.of("target", "statecast-dev.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in the package phase, before integration-test");
        return jar;
    }
}
