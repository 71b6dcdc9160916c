package io.statecast.cli.commands;

import io.statecast.common.Namespace;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statecast topics create|add-slice|describe}. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create or describe the topics of a namespace, or define a slice.",
        subcommands = {TopicsCommand.Create.class, TopicsAddSliceCommand.class, TopicsCommand.Describe.class})
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

        @Option(
                names = "--changes-retention-ms",
                defaultValue = "604800000",
                description = "How long <ns>.changes keeps every change (cleanup.policy=delete): longer than any"
                        + " materializer outage or backlog you tolerate (default: ${DEFAULT-VALUE}, 7 days).")
        long changesRetentionMs;

        @Option(names = "--no-history", description = "Do not create <ns>.history.")
        boolean noHistory;

        @Option(
                names = "--slice",
                paramLabel = "NAME=FIELD[:PARTITIONS]",
                description = "Define a slice <ns>.slice.NAME partitioned by FIELD (a top-level field or a dotted path"
                        + " into records and maps, e.g. labels.app), with PARTITIONS partitions (default "
                        + SliceSpec.DEFAULT_PARTITIONS + "). Repeatable.")
        List<String> slices = new ArrayList<>();

        @Mixin
        SliceSchemaOptions values;

        @Override
        public Integer call() {
            TopicOptions options = TopicOptions.defaults()
                    .withPartitions(partitions)
                    .withReplicationFactor(replicationFactor)
                    .withChecksumInterval(Duration.ofMillis(checksumIntervalMs))
                    .withChangesRetention(Duration.ofMillis(changesRetentionMs))
                    .withHistory(!noHistory);
            Namespace ns = Namespace.of(namespace);
            List<SliceSpec> specs = slices.stream().map(SliceSpec::parse).toList();
            PrintWriter out = spec.commandLine().getOut();
            try (TopicProvisioner p = new TopicProvisioner(kafka.kafka())) {
                org.apache.avro.Schema schema = values.schemaOrNull();
                p.checkSlices(ns, specs, schema); // before anything is created: a bad FIELD changes nothing
                List<String> created = new ArrayList<>(p.create(ns, options));
                for (SliceSpec s : specs) {
                    created.addAll(p.addSlice(ns, s, schema));
                }
                out.println(
                        created.isEmpty()
                                ? "All topics of namespace " + namespace + " exist and match."
                                : "Created " + String.join(", ", created) + ".");
                specs.forEach(s -> out.println("Slice " + s.name() + ": " + ns.slice(s.name()) + ", field " + s.field()
                        + ", " + s.partitions() + " partitions."));
            }
            out.flush();
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
                List<TopicProvisioner.SliceInfo> slices = p.slices(Namespace.of(namespace));
                out.println();
                if (slices.isEmpty()) {
                    out.println("No slices (statecast topics add-slice --namespace " + namespace
                            + " NAME=FIELD[:PARTITIONS]).");
                } else {
                    out.printf("%-24s %-24s %10s  %s%n", "SLICE", "FIELD", "PARTITIONS", "STATE");
                    for (TopicProvisioner.SliceInfo s : slices) {
                        out.printf(
                                "%-24s %-24s %10d  %s%n",
                                s.name(), s.field(), s.partitions(), s.topicsExist() ? s.backfill() : "topics missing");
                    }
                }
            }
            out.flush();
            return 0;
        }
    }
}
