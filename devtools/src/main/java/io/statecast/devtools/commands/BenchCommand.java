package io.statecast.devtools.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statecast bench}: runs the benchmark suites in a forked JVM with a fixed heap ({@code -Xms = -Xmx}:
 * a heap that shrinks and grows changes every figure), writing docs/benchmarks.json and docs/benchmarks.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks side by side in one run (suites: bootstrap digest warm-restart herd; default all).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", description = "Suites to run (default: all).")
    List<String> suites = new ArrayList<>();

    @Option(names = "--quick", description = "Small data sets: a few minutes.")
    boolean quick;

    @Option(
            names = "--heap",
            defaultValue = "4g",
            description = "Heap of the benchmark JVM, -Xms = -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(
            names = "--out",
            defaultValue = "docs",
            description = "Where to write benchmarks.json and .md (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--profile",
            description =
                    "Also write CPU flame graphs (async-profiler, HTML) of the Statecast contenders into this directory.")
    Path profile;

    @Override
    public Integer call() throws Exception {
        String classpath = Path.of(BenchCommand.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap,
                "-Xmx" + heap,
                "-cp",
                classpath,
                "io.statecast.bench.Main",
                "--out",
                out.toString()));
        if (quick) {
            cmd.add("--quick");
        }
        if (profile != null) {
            cmd.add("--profile");
            cmd.add(profile.toString());
        }
        cmd.addAll(suites);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
