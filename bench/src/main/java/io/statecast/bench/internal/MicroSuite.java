package io.statecast.bench.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The {@code micro} suite: runs {@link MicroBenchmarks} with JMH (one fork, a warm-up, then measured
 * iterations) and copies each benchmark's iteration scores into the report as median/min/max.
 */
public final class MicroSuite {
    private final Report report;
    private final boolean quick;
    private final int reps;

    public MicroSuite(Report report, boolean quick, int reps) {
        this.report = report;
        this.quick = quick;
        this.reps = reps;
    }

    public void run() throws Exception {
        averages(MicroBenchmarks.class);
        double ours = report.median("micro", "JMH entryHash", "time per operation");
        double reference = report.median("micro", "JMH referenceXxh3", "time per operation");
        report.note(String.format(
                "micro, digest version 2: the entry hash of a 64 B key + 200 B value takes %.0f ns, %.2fx hash4j's "
                        + "XXH3-128 of the same bytes (%.0f ns) in the same run: what remains is XXH3's own arithmetic.",
                ours, ours / reference, reference));
        percentiles(GetBenchmarks.class);
        percentiles(ViewGetBenchmarks.class);
        double added = report.median("micro", "JMH getDecompressDecode", "p99")
                - report.median("micro", "JMH getDecode", "p99");
        report.note(String.format(
                "micro, compact storage: decompressing a demo pod before decoding it adds %.0f ns to a typed get() at p99 "
                        + "(JMH sample time; target for compact storage as the default: < 2000 ns: %s).",
                added, added < 2000 ? "met" : "missed"));
        double viewAdded =
                report.median("micro", "JMH viewGetCompact", "p99") - report.median("micro", "JMH viewGet", "p99");
        report.note(String.format(
                "micro, compact storage: StateView.get() of a demo pod (50,000 pods, real views in the same JMH run) "
                        + "p99 %.0f ns with zstd compact storage against %.0f ns keeping values as read: +%.0f ns "
                        + "(compact storage as the default needs < 2000 ns: %s).",
                report.median("micro", "JMH viewGetCompact", "p99"),
                report.median("micro", "JMH viewGet", "p99"),
                viewAdded,
                viewAdded < 2000 ? "met" : "missed"));
    }

    private OptionsBuilder options(Class<?> benchmarks) {
        OptionsBuilder b = new OptionsBuilder();
        b.include(benchmarks.getName().replace("$", "\\$") + "\\.")
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g")
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 5 : Math.max(5, reps))
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .shouldFailOnError(true);
        return b;
    }

    private void averages(Class<?> benchmarks) throws Exception {
        Collection<RunResult> results = new Runner(options(benchmarks).build()).run();
        for (RunResult run : results) {
            String name = run.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult b : run.getBenchmarkResults()) {
                for (IterationResult it : b.getIterationResults()) {
                    scores.add(it.getPrimaryResult().getScore());
                }
            }
            report.add(
                    "micro",
                    "JMH " + name,
                    "time per operation",
                    run.getPrimaryResult().getScoreUnit(),
                    scores);
        }
    }

    // Sample-time benchmarks: the p50 and p99 of each measured iteration.
    private void percentiles(Class<?> benchmarks) throws Exception {
        for (RunResult run : new Runner(options(benchmarks).build()).run()) {
            String name = run.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (BenchmarkResult b : run.getBenchmarkResults()) {
                for (IterationResult it : b.getIterationResults()) {
                    p50.add(it.getPrimaryResult().getStatistics().getPercentile(50));
                    p99.add(it.getPrimaryResult().getStatistics().getPercentile(99));
                }
            }
            String unit = run.getPrimaryResult().getScoreUnit();
            report.add("micro", "JMH " + name, "p50", unit, p50);
            report.add("micro", "JMH " + name, "p99", unit, p99);
        }
    }
}
