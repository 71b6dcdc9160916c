package io.statecast.cli.commands;

import io.statecast.common.Namespace;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statecast topics create|describe}. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create or describe the topics of a namespace.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class})
public final class TopicsCommand {

    /** {@code statecast topics create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Create every topic of the namespace with its configs and wait until they answer. Idempotent.")
    static final class Create implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Spec
        CommandSpec spec;

        @Option(names = "--namespace", required = true, description = "Namespace (topic prefix).")
        String namespace;

        @Option(
                names = "--partitions",
                defaultValue = "6",
                description = "Partitions of changes/state/checksums (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--replication-factor",
                defaultValue = "1",
                description = "Replication factor (default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        @Option(
                names = "--checksum-interval-ms",
                defaultValue = "10000",
                description =
                        "The materializer's checksum interval; state keeps min.compaction.lag.ms = 10x (default: ${DEFAULT-VALUE}).")
        long checksumIntervalMs;

        @Option(names = "--no-history", description = "Do not create <ns>.history.")
        boolean noHistory;

        @Override
        public Integer call() {
            TopicOptions options = TopicOptions.defaults()
                    .withPartitions(partitions)
                    .withReplicationFactor(replicationFactor)
                    .withChecksumInterval(Duration.ofMillis(checksumIntervalMs))
                    .withHistory(!noHistory);
            try (TopicProvisioner p = new TopicProvisioner(kafka.kafka())) {
                List<String> created = p.create(Namespace.of(namespace), options);
                PrintWriter out = spec.commandLine().getOut();
                out.println(
                        created.isEmpty()
                                ? "All topics of namespace " + namespace + " exist and match."
                                : "Created " + String.join(", ", created) + ".");
                out.flush();
            }
            return 0;
        }
    }

    /** {@code statecast topics describe}. */
    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Show the topics of a namespace and their configs.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Spec
        CommandSpec spec;

        @Option(names = "--namespace", required = true, description = "Namespace (topic prefix).")
        String namespace;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (TopicProvisioner p = new TopicProvisioner(kafka.kafka())) {
                out.printf("%-40s %10s %4s  %s%n", "TOPIC", "PARTITIONS", "RF", "CONFIGS");
                for (TopicProvisioner.TopicInfo t : p.describe(Namespace.of(namespace))) {
                    out.printf(
                            "%-40s %10s %4s  %s%n",
                            t.name(),
                            t.exists() ? t.partitions() : "-",
                            t.exists() ? t.replicationFactor() : "-",
                            t.exists() ? t.configs() : "(missing)");
                }
            }
            out.flush();
            return 0;
        }
    }
}
