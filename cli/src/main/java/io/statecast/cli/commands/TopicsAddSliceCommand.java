package io.statecast.cli.commands;

import io.statecast.common.Namespace;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.TopicProvisioner;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code statecast topics add-slice --namespace NS NAME=FIELD[:PARTITIONS]}. */
@Command(
        name = "add-slice",
        mixinStandardHelpOptions = true,
        description = {
            "Define a slice of a namespace that may already hold data: create <ns>.slice.NAME and its checksums",
            "topic and store the definition in <ns>.slices; the running materializer back-fills it from the table",
            "(topics describe shows how far). FIELD is checked against the newest value schema in <ns>.schemas",
            "or the one given with --value-schema/--value-type."
        })
final class TopicsAddSliceCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    SliceSchemaOptions values;

    @Spec
    CommandSpec spec;

    @Option(names = "--namespace", required = true, description = "Namespace (topic prefix).")
    String namespace;

    @Parameters(
            paramLabel = "NAME=FIELD[:PARTITIONS]",
            description = "Slice name, the field it partitions by (e.g. node, labels.app) and its partitions"
                    + " (default " + SliceSpec.DEFAULT_PARTITIONS + ").")
    String slice;

    @Override
    public Integer call() {
        Namespace ns = Namespace.of(namespace);
        SliceSpec s = SliceSpec.parse(slice);
        try (TopicProvisioner p = new TopicProvisioner(kafka.kafka())) {
            List<String> created = p.addSlice(ns, s, values.schemaOrNull());
            PrintWriter out = spec.commandLine().getOut();
            out.println((created.isEmpty()
                            ? "Slice " + s.name() + " exists: "
                            : "Created " + String.join(", ", created) + "; slice " + s.name() + ": ")
                    + ns.slice(s.name()) + ", field " + s.field() + ", " + s.partitions() + " partitions.");
            out.flush();
        }
        return 0;
    }
}
