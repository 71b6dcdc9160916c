package io.statecast.devtools.demo;

import io.statecast.consumer.ViewStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the report charts, recorded while the demo runs: once a second the bytes the agents of each wave
 * fetched so far and the checksums they verified so far; the read-your-writes latencies; and, at the end,
 * when each agent started and how long it took to be ready.
 */
final class DemoRecorder {
    /** The counters at one moment: seconds since the churn started, bytes fetched by wave, checksums. */
    record Sample(double seconds, Map<String, Long> bytesByWave, long verified, long mismatched) {}

    /** One agent: its wave, when it started (seconds since the churn started) and its time to ready. */
    record Readiness(String wave, double startedAt, double secondsToReady) {}

    private final long startNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final ConcurrentHistogram readYourWrites = new ConcurrentHistogram(3);
    private ScheduledExecutorService timer;

    DemoRecorder(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Samples the agents (a live list: those added later count too) every second until {@link #stop}. */
    synchronized void start(List<Agent> agents) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "statecast-demo-recorder");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> sample(agents, System.nanoTime()), 0, 1, TimeUnit.SECONDS);
    }

    /** Stops sampling, after one last sample. */
    void stop(List<Agent> agents) {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
            sample(agents, System.nanoTime());
        }
    }

    /** Reads every agent's counters. */
    synchronized void sample(List<Agent> agents, long nowNanos) {
        Map<String, Long> bytes = new TreeMap<>();
        long verified = 0;
        long mismatched = 0;
        for (Agent a : agents) {
            ViewStats s = a.view.stats();
            bytes.merge(a.wave.name(), s.bytesFetched(), Long::sum);
            verified += s.checks().verified();
            mismatched += s.checks().mismatched();
        }
        samples.add(new Sample(seconds(nowNanos), bytes, verified, mismatched));
    }

    /** A read-your-writes latency: from the send to the write being visible in an agent. */
    void readYourWrites(long micros) {
        readYourWrites.recordValue(Math.max(1, micros));
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** A copy of the read-your-writes latencies, in microseconds. */
    Histogram readYourWrites() {
        return readYourWrites.copy();
    }

    /** Each agent that became ready: its wave, start and time to ready. */
    List<Readiness> readiness(List<Agent> agents) {
        List<Readiness> r = new ArrayList<>();
        for (Agent a : agents) {
            if (a.ready()) {
                r.add(new Readiness(a.wave.name(), seconds(a.startNanos), a.bootstrapSeconds()));
            }
        }
        return r;
    }

    private double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }
}
