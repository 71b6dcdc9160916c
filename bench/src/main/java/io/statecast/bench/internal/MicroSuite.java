package io.statecast.bench.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
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
        Options options = new OptionsBuilder()
                .include(MicroBenchmarks.class.getName().replace("$", "\\$") + "\\.")
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g")
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 5 : Math.max(5, reps))
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
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
}
