package io.statecast.devtools.demo;

import java.util.List;

/**
 * The summary's lines on bytes fetched per agent with slices and without, so that one run shows both: a
 * slice view reads its node's partition of the by-node slice, a whole-table view every partition of the
 * state topic, for the same pods.
 */
final class FetchedLines {
    private FetchedLines() {}

    /** Two lines: bytes per agent to be ready, and per minute once ready, of slice and whole-table views. */
    static List<String> of(List<Agent> agents, long nowNanos) {
        Kind sliced = Kind.of(agents, true, nowNanos);
        Kind whole = Kind.of(agents, false, nowNanos);
        return List.of(
                String.format(
                        "  fetched per agent to be ready: %.1f KB with slices (%d agents), %.1f KB without (%d agents)%s",
                        sliced.toReady() / 1e3,
                        sliced.agents(),
                        whole.toReady() / 1e3,
                        whole.agents(),
                        ratio(sliced.toReady(), whole.toReady())),
                String.format(
                        "  fetched per agent per minute once ready: %.1f KB with slices, %.1f KB without%s",
                        sliced.perMinute() / 1e3,
                        whole.perMinute() / 1e3,
                        ratio(sliced.perMinute(), whole.perMinute())));
    }

    private static String ratio(double sliced, double whole) {
        return sliced > 0 && whole > 0 ? String.format(": %.1fx less with slices", whole / sliced) : "";
    }

    /** The agents of one kind that became ready: how many, mean bytes to ready, mean bytes per minute after. */
    record Kind(int agents, double toReady, double perMinute) {
        static Kind of(List<Agent> all, boolean sliced, long nowNanos) {
            List<Agent> in =
                    all.stream().filter(a -> a.sliced() == sliced && a.ready()).toList();
            if (in.isEmpty()) {
                return new Kind(0, 0, 0);
            }
            double toReady =
                    in.stream().mapToLong(Agent::bytesToReady).average().orElse(0);
            double perMinute = in.stream()
                    .filter(a -> a.secondsReady(nowNanos) >= 1) // too short a time to be a rate
                    .mapToDouble(a -> after(a, nowNanos))
                    .average()
                    .orElse(0);
            return new Kind(in.size(), toReady, perMinute);
        }

        private static double after(Agent a, long nowNanos) {
            long bytes = a.view.stats().bytesFetched() - a.bytesToReady();
            return bytes * 60 / a.secondsReady(nowNanos);
        }
    }
}
