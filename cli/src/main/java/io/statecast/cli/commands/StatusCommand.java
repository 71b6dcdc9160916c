package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.common.Namespace;
import io.statecast.materializer.NamespaceStatus;
import io.statecast.materializer.StatusReader;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statecast status --namespace NS [--json]}: what runs and how far it got. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "A namespace at a glance: its topics and partition counts, the materializer instances and their lag per",
            "partition, each partition's last checksum, the rejections of the last hour by reason, the state's size",
            "(entries, bytes) and the slices. Read-only. The materializer's HTTP / shows the same as a page."
        })
public final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--namespace", required = true, description = "Namespace to show.")
    String namespace;

    @Option(
            names = "--application-id",
            description = "The materializer's application id (default: statecast-materializer-<namespace>).")
    String applicationId;

    @Option(names = "--json", description = "One JSON document on stdout, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Namespace ns = Namespace.of(namespace);
        kafka.requireTopics(ns.state());
        String group = applicationId != null ? applicationId : "statecast-materializer-" + ns.name();
        NamespaceStatus s = StatusReader.read(kafka.kafka(), ns, group, Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(StatusJson.of(s)));
        } else {
            print(out, s);
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, NamespaceStatus s) {
        out.println("namespace " + s.namespace() + " at " + s.at());
        out.println("topics:");
        s.topics()
                .forEach(t ->
                        out.printf("  %-40s %s%n", t.name(), t.exists() ? t.partitions() + " partitions" : "missing"));
        NamespaceStatus.Group g = s.materializers();
        out.println("materializer group " + g.id() + ": " + g.state() + ", "
                + g.instances().size() + " instance(s)");
        g.instances().forEach(i -> out.printf("  %s %s partitions %s%n", i.clientId(), i.host(), join(i.partitions())));
        out.printf(
                "%10s %12s %12s %8s %-26s %9s  %s%n",
                "PARTITION", "CHANGES END", "COMMITTED", "LAG", "LAST CHECKSUM", "ENTRIES", "OWNER");
        s.partitions()
                .forEach(p -> out.printf(
                        "%10d %12d %12s %8s %-26s %9s  %s%n",
                        p.partition(),
                        p.end(),
                        count(p.committed()),
                        count(p.lag()),
                        p.lastChecksum() == null ? "none recently" : p.lastChecksum(),
                        count(p.entries()),
                        p.owner().isEmpty() ? "-" : p.owner()));
        out.println("state: " + count(s.entries()) + " entries, " + count(s.stateBytes()) + " bytes on disk (leaders)");
        out.println("rejections in the last hour: "
                + (s.rejectionsLastHour().isEmpty()
                        ? "none"
                        : s.rejectionsLastHour().entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", "))));
        out.println("slices: "
                + (s.slices().isEmpty()
                        ? "none"
                        : s.slices().stream()
                                .map(t -> t.name() + " (" + t.partitions() + " partitions)")
                                .collect(Collectors.joining(", "))));
    }

    private static String join(List<Integer> partitions) {
        return partitions.isEmpty()
                ? "none"
                : partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String count(long n) {
        return n < 0 ? "-" : String.valueOf(n);
    }

    /** The JSON form of a status: the records' fields, times as ISO-8601 text, unknown numbers as -1. */
    static final class StatusJson {
        private StatusJson() {}

        static ObjectNode of(NamespaceStatus s) {
            ObjectNode o =
                    JSON.createObjectNode().put("namespace", s.namespace()).put("at", s.at().toString());
            ArrayNode topics = o.putArray("topics");
            s.topics().forEach(t -> topic(topics.addObject(), t));
            ObjectNode g = o.putObject("materializers")
                    .put("groupId", s.materializers().id())
                    .put("state", s.materializers().state());
            ArrayNode instances = g.putArray("instances");
            s.materializers().instances().forEach(i -> {
                ObjectNode n =
                        instances.addObject().put("clientId", i.clientId()).put("host", i.host());
                ArrayNode parts = n.putArray("partitions");
                i.partitions().forEach(parts::add);
            });
            ArrayNode partitions = o.putArray("partitions");
            s.partitions()
                    .forEach(p -> partitions
                            .addObject()
                            .put("partition", p.partition())
                            .put("changesEnd", p.end())
                            .put("committed", p.committed())
                            .put("lag", p.lag())
                            .put("owner", p.owner())
                            .put(
                                    "lastChecksum",
                                    p.lastChecksum() == null
                                            ? null
                                            : p.lastChecksum().toString())
                            .put("entries", p.entries()));
            ObjectNode rejections = o.putObject("rejectionsLastHour");
            s.rejectionsLastHour().forEach(rejections::put);
            o.putObject("state").put("entries", s.entries()).put("bytes", s.stateBytes());
            ArrayNode slices = o.putArray("slices");
            s.slices().forEach(t -> topic(slices.addObject(), t));
            return o;
        }

        private static void topic(ObjectNode n, NamespaceStatus.Topic t) {
            n.put("name", t.name()).put("exists", t.exists()).put("partitions", t.partitions());
        }
    }
}
