package io.statecast.devtools.demo;

import io.statecast.schemas.demo.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The summary's lines: per wave bootstrap times, splay, bytes fetched and deltas; the bytes an agent fetches
 * with slices and without; read-your-writes; the table.
 */
final class DemoSummary {
    private DemoSummary() {}

    /** The lines, read from the agents before they are closed. */
    static List<String> lines(
            List<Agent> agents, Histogram ryw, String latency, Map<String, Map<String, Pod>> table, long changes) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Summary");
        lines.add(String.format(
                "  %-40s %5s %9s %9s %9s %14s %14s %7s",
                "agents", "count", "boot p50", "boot max", "spread", "to ready/agent", "fetched/agent", "deltas"));
        Map<Integer, List<Agent>> byWave = new TreeMap<>();
        agents.forEach(a ->
                byWave.computeIfAbsent(a.wave.number(), w -> new ArrayList<>()).add(a));
        byWave.values().forEach(in -> lines.add(wave(in)));
        lines.addAll(FetchedLines.of(agents, System.nanoTime()));
        lines.add(String.format(
                "  read-your-writes (%s): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d samples",
                latency,
                ryw.getValueAtPercentile(50) / 1e3,
                ryw.getValueAtPercentile(99) / 1e3,
                ryw.getMaxValue() / 1e3,
                ryw.getTotalCount()));
        lines.add(String.format(
                "  authoritative table: %d pods on %d nodes; %d changes written",
                table.values().stream().mapToInt(Map::size).sum(), table.size(), changes));
        return lines;
    }

    private static String wave(List<Agent> in) {
        double[] boots = in.stream()
                .mapToDouble(Agent::bootstrapSeconds)
                .filter(d -> !Double.isNaN(d))
                .sorted()
                .toArray();
        double spread = in.stream()
                .mapToDouble(a -> a.view.stats().splay().toMillis() / 1000.0)
                .max()
                .orElse(0);
        long toReady = in.stream().mapToLong(Agent::bytesToReady).sum() / in.size();
        long fetched = in.stream().mapToLong(a -> a.view.stats().bytesFetched()).sum() / in.size();
        long deltas = in.stream().mapToLong(a -> a.deltas.get()).sum();
        return String.format(
                "  %-40s %5d %8.2fs %8.2fs %8.2fs %11.1f KB %11.1f KB %7d",
                in.get(0).wave.name(),
                in.size(),
                boots.length == 0 ? Double.NaN : boots[boots.length / 2],
                boots.length == 0 ? Double.NaN : boots[boots.length - 1],
                spread,
                toReady / 1e3,
                fetched / 1e3,
                deltas);
    }
}
