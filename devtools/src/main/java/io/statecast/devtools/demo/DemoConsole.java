package io.statecast.devtools.demo;

import io.statecast.consumer.ViewStats;
import java.io.PrintWriter;
import java.util.List;

/**
 * What the demo prints while it runs: on a terminal one status line that each phase and each second's
 * counters overwrite, and the waves' announcements; elsewhere (a pipe, a test) plain lines.
 */
final class DemoConsole {
    private static final String CLEAR = "\r\033[2K";

    private final PrintWriter out;
    private final boolean terminal;

    DemoConsole(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    boolean terminal() {
        return terminal;
    }

    /** A phase of the run: the status line on a terminal (the next status overwrites it), a line otherwise. */
    void status(String line) {
        out.print(terminal ? CLEAR + line : line + System.lineSeparator());
        out.flush();
    }

    /** A line that stays. */
    void say(String line) {
        if (terminal) {
            out.print(CLEAR);
        }
        out.println(line);
        out.flush();
    }

    /** Clears the status line, before the summary. */
    void clear() {
        if (terminal) {
            out.print(CLEAR);
            out.flush();
        }
    }

    /** The counters of the run as the status line: changes, agents ready, lag, checksums, bytes fetched. */
    void counters(double seconds, long changes, List<Agent> agents) {
        long ready = agents.stream().filter(Agent::ready).count();
        long verified = 0;
        long mismatched = 0;
        long notComparable = 0;
        long lag = 0;
        long bytes = 0;
        for (Agent a : agents) {
            ViewStats st = a.view.stats();
            verified += st.checks().verified();
            mismatched += st.checks().mismatched();
            notComparable += st.checks().notComparable();
            lag += st.partitions().stream().mapToLong(p -> Math.max(0, p.lag())).sum();
            bytes += st.bytesFetched();
        }
        status(String.format(
                "t=%4.0fs  changes=%7d (%4.0f/s)  agents ready %3d/%-3d  lag=%6d  checksums verified=%d mismatched=%d"
                        + " not-comparable=%d  fetched=%.1f MB",
                seconds,
                changes,
                seconds >= 1 ? changes / seconds : 0.0,
                ready,
                agents.size(),
                lag,
                verified,
                mismatched,
                notComparable,
                bytes / 1e6));
    }
}
