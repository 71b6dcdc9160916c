package io.statecast.devtools.commands;

import io.statecast.cli.StatecastCli;
import io.statecast.devtools.demo.Demo;
import io.statecast.devtools.demo.DemoSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code statecast demo}: the Kubernetes scale-up, end to end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "A Kubernetes scale-up, end to end: an embedded Kafka, the materializer, a cluster simulator",
            "writing Node and Pod state, and node agents: views of their node's pods, each reading only",
            "its node's partition of the pods' by-node slice (--no-slices: the whole table, filtered).",
            "During the run many agents start at once, first without splay, then with, then as many of",
            "the other kind (whole-table views; with --no-slices slice views) to compare the bytes",
            "they fetch. Exit 0 only when every agent's view equals the authoritative table for its",
            "node. The terminal shows a status line, the waves and the summary; the run directory keeps",
            "demo.log (the logs; --verbose also prints them) and report.html (the charts), both named at",
            "the end. With --source postgres the pods are rows of a PostgreSQL table, captured into the",
            "pods namespace as statecast capture postgres does, and the agents are checked against it."
        })
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of starting an embedded broker.")
    String bootstrapServers;

    @Option(
            names = "--nodes",
            defaultValue = "10",
            description = "Nodes at the start, each with an agent (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--pods", defaultValue = "3000", description = "Pods at the start (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(
            names = "--agents",
            defaultValue = "20",
            description = "Agents that join in each scale-up wave (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(
            names = "--rate",
            defaultValue = "400",
            description = "Changes per second during the run (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "40", description = "Seconds of churn (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(
            names = "--splay",
            defaultValue = "4",
            description = "Start-up splay of the second wave, seconds (default: ${DEFAULT-VALUE}).")
    int splay;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--corrupt-agent",
            hidden = true,
            defaultValue = "-1",
            description =
                    "Test-only: corrupt this initial agent's view (its self-heal off) to prove the final check can fail.")
    int corruptAgent;

    @Option(
            names = "--no-slices",
            description = "The agents read the whole pods table and keep their node's pods (the way before"
                    + " slices) instead of reading only their node's partition of the by-node slice.")
    boolean noSlices;

    @Option(
            names = "--run-dir",
            paramLabel = "DIR",
            description = "Where the run leaves demo.log and report.html (default: .statecast/demo/<date-time>).")
    Path runDir;

    @Option(
            names = "--source",
            defaultValue = "kafka",
            paramLabel = "kafka|postgres",
            description = {
                "Where the simulator keeps the pods: kafka (written with StatecastProducer) or postgres (a table",
                "of a PostgreSQL server, captured into the pods namespace; needs --jdbc-url or the machine's",
                "PostgreSQL binaries). Default: ${DEFAULT-VALUE}."
            })
    String source;

    @Option(
            names = "--jdbc-url",
            defaultValue = "${env:STATECAST_JDBC_URL}",
            paramLabel = "URL",
            description = "With --source postgres: jdbc:postgresql://HOST[:PORT]/DATABASE of a server with"
                    + " wal_level=logical (default: STATECAST_JDBC_URL; none: a server started from the machine's"
                    + " PostgreSQL binaries, stopped at the end).")
    String jdbcUrl;

    @Option(
            names = "--jdbc-user",
            defaultValue = "${env:STATECAST_JDBC_USER:-postgres}",
            description = "Its user, with REPLICATION and CREATE on schema public (default: STATECAST_JDBC_USER, else"
                    + " postgres).")
    String jdbcUser;

    @Option(
            names = "--jdbc-password-file",
            paramLabel = "FILE",
            description = "File whose first line is that user's password (default: STATECAST_JDBC_PASSWORD).")
    Path jdbcPasswordFile;

    @Override
    public Integer call() throws Exception {
        DemoSettings s = DemoSettings.builder()
                .bootstrapServers(bootstrapServers)
                .nodes(nodes)
                .pods(pods)
                .agentsPerWave(agents)
                .rate(rate)
                .duration(Duration.ofSeconds(duration))
                .splay(Duration.ofSeconds(splay))
                .seed(seed)
                .corruptAgent(corruptAgent)
                .slices(!noSlices)
                .source(source())
                .jdbc(jdbcUrl, jdbcUser, password())
                .build();
        Path dir = runDir != null
                ? runDir
                : Path.of(
                        ".statecast",
                        "demo",
                        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        boolean verbose = StatecastCli.verbose(spec);
        return new Demo(s, spec.commandLine().getOut(), System.console() != null, dir, verbose).run();
    }

    private DemoSettings.Source source() {
        return switch (source.trim().toLowerCase(Locale.ROOT)) {
            case "kafka" -> DemoSettings.Source.KAFKA;
            case "postgres" -> DemoSettings.Source.POSTGRES;
            default -> throw new ParameterException(spec.commandLine(), "--source is kafka or postgres, was " + source);
        };
    }

    private String password() throws IOException {
        if (jdbcPasswordFile == null) {
            return System.getenv("STATECAST_JDBC_PASSWORD");
        }
        List<String> lines = Files.readAllLines(jdbcPasswordFile, StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.get(0);
    }
}
