package io.statecast.cli.commands;

import io.statecast.consumer.PartitionProgress;
import io.statecast.consumer.ViewStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The checks {@code watch} reports on stderr: a line every interval while it runs, and one line at exit
 * (the form docs and scripts rely on).
 */
final class WatchReport implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private WatchReport(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Prints {@link #running} of the view's stats on {@code err} every {@code interval}; zero prints none. */
    static WatchReport every(Duration interval, Supplier<ViewStats> stats, PrintWriter err, String namespace) {
        if (interval.isZero()) {
            return new WatchReport(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "statecast-watch-" + namespace + "-report");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(() -> println(err, running(stats.get())), ms, ms, TimeUnit.MILLISECONDS);
        return new WatchReport(timer);
    }

    /** {@code watch: N entries, lag L records, checksums verified V, mismatched M, not comparable C, heals H}. */
    static String running(ViewStats s) {
        long lag = s.partitions().stream().mapToLong(PartitionProgress::lag).sum();
        ViewStats.Checks c = s.checks();
        return String.format(
                "watch: %d entries, lag %d records, checksums verified %d, mismatched %d, not comparable %d, heals %d",
                s.entries(), lag, c.verified(), c.mismatched(), c.notComparable(), c.heals());
    }

    /** {@code view: N entries, fetched B bytes in R records, checksums verified V, mismatched M, not comparable C}. */
    static String atExit(ViewStats s) {
        ViewStats.Checks c = s.checks();
        return String.format(
                "view: %d entries, fetched %d bytes in %d records, checksums verified %d, mismatched %d,"
                        + " not comparable %d",
                s.entries(), s.bytesFetched(), s.recordsFetched(), c.verified(), c.mismatched(), c.notComparable());
    }

    static void println(PrintWriter err, String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
