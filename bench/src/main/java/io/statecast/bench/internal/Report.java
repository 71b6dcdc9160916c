package io.statecast.bench.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects figures (suite, contender, figure, unit, stats) and writes docs/benchmarks.json and .md. */
public final class Report {
    /** One measured figure. */
    public record Figure(String suite, String contender, String figure, String unit, Stats stats) {}

    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final String command;
    private final String loadAtStart;
    private Path profiles;

    public Report(String command) {
        this.command = command;
        this.loadAtStart = loadAverage();
    }

    // What else ran on the machine: the run-queue averages, which count other processes' builds too.
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public void add(String suite, String contender, String figure, String unit, List<Double> values) {
        Figure f = new Figure(suite, contender, figure, unit, Stats.of(values));
        figures.add(f);
        System.err.printf("  %-14s %-40s %-22s %s %s%n", suite, contender, figure, f.stats(), unit);
    }

    /** Lists the flame graphs of {@code dir} (a run with {@code --profile}) in the Markdown report. */
    public void profiles(Path dir) {
        this.profiles = dir;
    }

    /** A sentence for the Markdown report (targets met or missed, what was not measured). */
    public void note(String text) {
        notes.add(text);
        System.err.println("  note: " + text);
    }

    public List<Figure> figures() {
        return figures;
    }

    /** The median of a figure already added; NaN when the suite did not run it. */
    public double median(String suite, String contender, String figure) {
        return figures.stream()
                .filter(f -> f.suite().equals(suite)
                        && f.contender().equals(contender)
                        && f.figure().equals(figure))
                .mapToDouble(f -> f.stats().median())
                .findFirst()
                .orElse(Double.NaN);
    }

    /** The smallest median of a figure over the suite's contenders whose name starts with {@code prefix}. */
    public double bestMedian(String suite, String prefix, String figure) {
        return figures.stream()
                .filter(f -> f.suite().equals(suite)
                        && f.contender().startsWith(prefix)
                        && f.figure().equals(figure))
                .mapToDouble(f -> f.stats().median())
                .min()
                .orElse(Double.NaN);
    }

    public Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("load average at start (1, 5, 15 min)", loadAtStart);
        m.put("load average at the end", loadAverage());
        return m;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", Instant.now().toString());
        json.put("command", command);
        json.put("machine", machine());
        json.put("figures", figures);
        json.put("notes", notes);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("benchmarks.json").toFile(), json);
        Files.writeString(dir.resolve("benchmarks.md"), markdown());
    }

    String markdown() {
        StringBuilder b = new StringBuilder("# Benchmarks\n\n");
        b.append("Measured side by side in one run; median (min–max) of the measured repetitions after a warm-up.\n\n");
        b.append("- date: ").append(Instant.now()).append('\n');
        b.append("- command: `").append(command).append("`\n");
        machine()
                .forEach((k, v) ->
                        b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append(
                "\n| suite | contender | figure | median | min | max | n | unit |\n|---|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            b.append(String.format(
                    "| %s | %s | %s | %.3f | %.3f | %.3f | %d | %s |%n",
                    f.suite(),
                    f.contender(),
                    f.figure(),
                    f.stats().median(),
                    f.stats().min(),
                    f.stats().max(),
                    f.stats().n(),
                    f.unit()));
        }
        if (!notes.isEmpty()) {
            b.append("\n## Notes\n\n");
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        b.append(profilesSection());
        return b.toString();
    }

    // Links relative to the report's folder when the profiles lie under it (docs/profiles beside docs/benchmarks.md).
    private String profilesSection() {
        if (profiles == null || !Files.isDirectory(profiles)) {
            return "";
        }
        StringBuilder b = new StringBuilder("\n## Profiles\n\n");
        b.append("CPU flame graphs of this run (async-profiler, extra runs after the measured ones; what they show: ")
                .append("`")
                .append(profiles)
                .append("/README.md`):\n\n");
        try (var files = Files.list(profiles)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".html"))
                    .sorted()
                    .forEach(n -> b.append("- `")
                            .append(profiles)
                            .append('/')
                            .append(n)
                            .append("`\n"));
        } catch (IOException e) {
            b.append("- (could not list ")
                    .append(profiles)
                    .append(": ")
                    .append(e.getMessage())
                    .append(")\n");
        }
        return b.toString();
    }
}
