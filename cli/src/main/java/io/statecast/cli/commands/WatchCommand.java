package io.statecast.cli.commands;

import io.statecast.common.ConfigurationException;
import io.statecast.common.Namespace;
import io.statecast.consumer.OverflowPolicy;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewConfig;
import io.statecast.consumer.ViewStatus;
import io.statecast.schemas.SchemaTopic;
import io.statecast.schemas.ValueSchemas;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statecast watch}: a view on the command line, like {@code kubectl get -w}. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Bootstrap a view of the namespace, print its entries (sorted by key; not with --deltas-only), then",
            "every delta, one NDJSON line each on stdout:",
            "  {\"op\":\"UPSERT|DELETE\",\"key\":...,\"version\":...,\"partition\":...,\"srcOffset\":...,\"value\":{...}}",
            "Status goes to stderr: 'ready: N entries in T ms', every --status-interval seconds",
            "  watch: N entries, lag L records, checksums verified V, mismatched M, not comparable C, heals H",
            "and at exit (--exit-when-ready, Ctrl-C or SIGTERM: exit 0; a failure too)",
            "  view: N entries, fetched B bytes in R records, checksums verified V, mismatched M, not comparable C",
            "Settings: --config FILE, then STATECAST_* environment variables, then these flags; keys that are",
            "not the view's pass through to the Kafka consumer (-D client.rack=az1)."
        })
public final class WatchCommand implements Callable<Integer> {
    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:STATECAST_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $STATECAST_BOOTSTRAP_SERVERS or localhost:9092).")
    String bootstrapServers;

    @Option(
            names = "--config",
            description = "Properties file: the view's keys (snapshot.dir, partitions...) and Kafka consumer"
                    + " properties (security, client.id...), passed through.")
    Path config;

    @Option(names = "-D", description = "Any other setting, key=value: a view key or a Kafka consumer property.")
    Map<String, String> settings = new HashMap<>();

    @Spec
    CommandSpec spec;

    @Option(names = "--namespace", description = "Namespace to watch (or STATECAST_NAMESPACE / the config file).")
    String namespace;

    @Option(names = "--key-prefix", description = "Only keys starting with this prefix.")
    String keyPrefix;

    @Option(
            names = "--index",
            description =
                    "Only entries whose value field NAME equals VALUE (an index of the view), e.g. --index node=node-1.")
    String index;

    @Option(
            names = "--slice",
            paramLabel = "NAME=VALUE",
            description = "Read only slice NAME's partition holding VALUE and keep only its entities (repeat for"
                    + " more values of the slice), e.g. --slice by-node=node-7; see statecast topics add-slice.")
    List<String> slice = new ArrayList<>();

    @Option(names = "--dump", description = "Once ready, write the whole view to FILE, one NDJSON line per entry.")
    Path dump;

    @Option(names = "--exit-when-ready", description = "Stop once the view is ready (after --dump).")
    boolean exitWhenReady;

    @Option(
            names = "--value-type",
            description = "Read the values as the demo's pod or node records (default: each value as written,"
                    + " its schema taken from <ns>.schemas).")
    String valueType;

    @Option(
            names = "--value-schema",
            description = "Avro schema (.avsc) to read the values with, instead of each value's writer schema.")
    Path valueSchema;

    @Option(
            names = "--deltas-only",
            description = "Print only the deltas after the bootstrap, not the entries it loaded first.")
    boolean deltasOnly;

    @Option(
            names = "--status-interval",
            defaultValue = "10",
            paramLabel = "SECONDS",
            description = "A line of checks on stderr every SECONDS while running (default: 10; 0: none).")
    int statusInterval;

    @Override
    public Integer call() throws Exception {
        Schema schema = schema(); // flag errors first, before any Kafka call
        ViewConfig watched = viewConfig();
        KafkaOptions.requireTopics(
                watched.consumerProperties(), Namespace.of(watched.namespace()).state());
        String[] idx = index == null ? null : index.split("=", 2);
        checkIndex(idx, schema, watched);
        if (statusInterval < 0) {
            throw new ConfigurationException("--status-interval must be 0 or more seconds, was " + statusInterval);
        }
        PrintWriter err = spec.commandLine().getErr();
        AtomicReference<StateView<GenericRecord>> built = new AtomicReference<>();
        WatchOutput output = new WatchOutput(
                spec.commandLine().getOut(),
                err,
                keyPrefix,
                !deltasOnly,
                () -> built.get().snapshot());
        StateView.Builder<GenericRecord> b = (schema == null ? StateView.builderAsWritten() : StateView.builder(schema))
                .config(watched)
                .listener("watch", output, 100_000, OverflowPolicy.DROP_AND_RESET);
        if (idx != null) {
            b.index(idx[0], r -> field(r, idx[0])).filter(r -> idx[1].equals(field(r, idx[0])));
        }
        try (UntilStopped stop = UntilStopped.onSignal("statecast-watch-shutdown");
                StateView<GenericRecord> view = b.build()) {
            built.set(view);
            try {
                watch(view, output, stop, watched.namespace());
            } finally {
                // Once, whether watch ends on its own, fails, or is stopped by Ctrl-C or SIGTERM.
                WatchReport.println(err, WatchReport.atExit(view.stats()));
            }
        }
        return 0;
    }

    private void watch(StateView<GenericRecord> view, WatchOutput output, UntilStopped stop, String namespace)
            throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        view.start();
        if (!awaitReadyShowingProgress(view, namespace, err, stop)) {
            return; // stopped during the bootstrap
        }
        WatchReport.println(
                err,
                "ready: " + view.size() + " entries in "
                        + view.stats().bootstrapDuration().toMillis() + " ms");
        if (dump != null) {
            SortedMap<String, WatchOutput.Entry> entries = output.listed().get();
            writeDump(entries);
            WatchReport.println(err, "dumped " + entries.size() + " entries to " + dump);
        }
        if (!exitWhenReady) {
            Duration every = Duration.ofSeconds(statusInterval);
            try (WatchReport report = WatchReport.every(every, view::stats, err, namespace)) {
                stop.await(); // until Ctrl-C or SIGTERM
            }
        }
    }

    // Values read as written may come from a schema version without the field: no value then, not an error.
    private static String field(GenericRecord r, String name) {
        return r.hasField(name) ? Objects.toString(r.get(name), null) : null;
    }

    private void checkIndex(String[] idx, Schema schema, ViewConfig watched) {
        if (idx == null) {
            return;
        }
        boolean known = idx.length == 2
                && (schema == null ? namespaceHasField(idx[0], watched) : schema.getField(idx[0]) != null);
        if (!known) {
            String of = schema == null ? "the value schemas of " + watched.namespace() + ".schemas" : schema.getName();
            throw new ConfigurationException("--index must be FIELD=VALUE with a field of " + of + ", was " + index);
        }
    }

    private static boolean namespaceHasField(String field, ViewConfig watched) {
        try (SchemaTopic topic = SchemaTopic.open(watched.consumerProperties(), Namespace.of(watched.namespace()))) {
            return ValueSchemas.of(topic).anyHasField(field);
        }
    }

    // The file, then STATECAST_* variables, then the flags: one definition (ViewConfig) for all three.
    private ViewConfig viewConfig() {
        Map<String, Object> overrides = new HashMap<>(settings);
        overrides.put(ViewConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        if (namespace != null) {
            overrides.put(ViewConfig.NAMESPACE, namespace);
        }
        if (!slice.isEmpty()) {
            overrides.putAll(sliceSettings());
        }
        ViewConfig c = ViewConfig.load(config, System.getenv(), overrides);
        if (c.namespace() == null) {
            throw new ConfigurationException("watch needs a namespace: --namespace, STATECAST_NAMESPACE or the file");
        }
        return c;
    }

    // --slice NAME=VALUE, repeated for more values of the same slice.
    private Map<String, Object> sliceSettings() {
        String name = null;
        List<String> values = new ArrayList<>();
        for (String s : slice) {
            String[] nv = s.split("=", 2);
            if (nv.length != 2 || nv[0].isBlank() || nv[1].isEmpty() || (name != null && !name.equals(nv[0]))) {
                throw new ConfigurationException(
                        "--slice must be NAME=VALUE (repeated only with the same NAME), e.g. --slice by-node=node-7,"
                                + " was " + String.join(" ", slice));
            }
            name = nv[0];
            values.add(nv[1]);
        }
        return Map.of(ViewConfig.SLICE, name, ViewConfig.SLICE_VALUES, values);
    }

    // True once ready; false when Ctrl-C or SIGTERM came first.
    private static boolean awaitReadyShowingProgress(
            StateView<GenericRecord> view, String namespace, PrintWriter err, UntilStopped stop) {
        boolean terminal = System.console() != null;
        while (!view.ready().isDone()) {
            if (stop.stopped()) {
                return false;
            }
            if (terminal) {
                ViewStatus s = view.status();
                double pct = s.partitions().stream()
                        .mapToDouble(p -> p.percent())
                        .average()
                        .orElse(0);
                err.printf(
                        "\rbootstrapping %s: %.0f%% (%d records)",
                        namespace,
                        pct,
                        s.partitions().stream().mapToLong(p -> p.records()).sum());
                err.flush();
            }
            try {
                view.awaitReady(Duration.ofMillis(250));
            } catch (io.statecast.common.ViewNotReadyException e) {
                // keep showing progress
            }
        }
        if (terminal) {
            err.println();
        }
        view.awaitReady(Duration.ofMillis(1)); // rethrows the cause if the view failed
        return true;
    }

    private void writeDump(SortedMap<String, WatchOutput.Entry> entries) throws IOException {
        try (Writer w = Files.newBufferedWriter(dump, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, WatchOutput.Entry> e : entries.entrySet()) {
                w.write(WatchOutput.line(
                        e.getKey(), e.getValue().meta(), e.getValue().value()));
                w.write('\n');
            }
        }
    }

    /** The reader schema the flags name, or null: each value is read with its own writer schema. */
    private Schema schema() {
        return ValueSchemaOptions.explicit(valueSchema, valueType);
    }
}
