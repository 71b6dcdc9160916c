package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.common.ConfigurationException;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.consumer.Change;
import io.statecast.consumer.ChangeMeta;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewConfig;
import io.statecast.consumer.ViewListener;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.ViewStatus;
import io.statecast.schemas.JsonAvro;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
            "Bootstrap a view of the namespace, then print every delta as one NDJSON line on stdout:",
            "  {\"op\":\"UPSERT|DELETE\",\"key\":...,\"version\":...,\"partition\":...,\"srcOffset\":...,\"value\":{...}}",
            "Status goes to stderr; at exit one line: view: N entries, fetched B bytes in R records,",
            "checksums verified V, mismatched M, not comparable C. Settings: --config FILE, then STATECAST_* environment variables, then",
            "these flags; keys that are not the view's pass through to the Kafka consumer (-D client.rack=az1)."
        })
public final class WatchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private final Map<String, ChangeMeta> metas = new ConcurrentHashMap<>();
    private final AtomicBoolean summarized = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        Schema schema = schema(); // flag errors first, before any Kafka call
        ViewConfig watched = viewConfig();
        KafkaOptions.requireTopics(
                watched.consumerProperties(), Namespace.of(watched.namespace()).state());
        String[] idx = index == null ? null : index.split("=", 2);
        checkIndex(idx, schema, watched);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StateView.Builder<GenericRecord> b = (schema == null ? StateView.builderAsWritten() : StateView.builder(schema))
                .config(watched)
                .listener("watch", listener(out), 100_000, io.statecast.consumer.OverflowPolicy.DROP_AND_RESET);
        if (idx != null) {
            b.index(idx[0], r -> field(r, idx[0])).filter(r -> idx[1].equals(field(r, idx[0])));
        }
        try (StateView<GenericRecord> view = b.build()) {
            Thread atExit = new Thread(() -> printSummary(view, err), "statecast-watch-exit");
            Runtime.getRuntime().addShutdownHook(atExit); // Ctrl-C
            try {
                return watch(view, watched, err);
            } finally {
                removeHook(atExit);
                printSummary(view, err);
            }
        }
    }

    private int watch(StateView<GenericRecord> view, ViewConfig watched, PrintWriter err) throws Exception {
        view.start();
        awaitReadyShowingProgress(view, watched.namespace(), err);
        err.println("ready: " + view.size() + " entries in "
                + view.stats().bootstrapDuration().toMillis() + " ms");
        err.flush();
        if (dump != null) {
            // The dump takes versions and offsets from the listener's initial events: let it catch up.
            while (view.stats().listeners().stream().anyMatch(l -> l.queued() > 0)) {
                Thread.sleep(20);
            }
            writeDump(view);
            err.println("dumped " + view.size() + " entries to " + dump);
            err.flush();
        }
        if (!exitWhenReady) {
            new CountDownLatch(1).await(); // until Ctrl-C
        }
        return 0;
    }

    // Once, whether watch ends on its own, fails, or is stopped by Ctrl-C (then from the shutdown hook).
    private void printSummary(StateView<GenericRecord> view, PrintWriter err) {
        if (summarized.compareAndSet(false, true)) {
            err.println(summary(view.stats()));
            err.flush();
        }
    }

    /** The line every watch prints on stderr at exit. */
    static String summary(ViewStats s) {
        return "view: " + s.entries() + " entries, fetched " + s.bytesFetched() + " bytes in " + s.recordsFetched()
                + " records, checksums verified " + s.checks().verified() + ", mismatched "
                + s.checks().mismatched()
                + ", not comparable " + s.checks().notComparable();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) and prints the summary
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

    private ViewListener<GenericRecord> listener(PrintWriter out) {
        return new ViewListener<>() {
            @Override
            public void onChange(Change<GenericRecord> c) {
                metas.put(c.key(), c.meta());
                if (!c.meta().initial() && (keyPrefix == null || c.key().startsWith(keyPrefix))) {
                    synchronized (out) {
                        out.println(line(c.key(), c.meta(), c.newValue()));
                        out.flush();
                    }
                }
            }
        };
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

    private void awaitReadyShowingProgress(StateView<GenericRecord> view, String namespace, PrintWriter err) {
        boolean terminal = System.console() != null;
        while (!view.ready().isDone()) {
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
    }

    private void writeDump(StateView<GenericRecord> view) throws IOException {
        try (Writer w = Files.newBufferedWriter(dump, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, GenericRecord> e : new java.util.TreeMap<>(view.snapshot()).entrySet()) {
                if (keyPrefix == null || e.getKey().startsWith(keyPrefix)) {
                    w.write(line(e.getKey(), metas.get(e.getKey()), e.getValue()));
                    w.write('\n');
                }
            }
        }
    }

    private static String line(String key, ChangeMeta meta, GenericRecord value) {
        ObjectNode o = JSON.createObjectNode();
        o.put("op", value == null ? "DELETE" : "UPSERT");
        o.put("key", key);
        if (meta != null) {
            o.put("version", meta.version());
            o.put("partition", meta.partition());
            o.put("srcOffset", meta.srcOffset());
        }
        o.set("value", value == null ? JSON.nullNode() : JsonAvro.toJson(value, value.getSchema()));
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new StatecastException("Cannot render " + key + ": " + e.getMessage(), e);
        }
    }

    /** The reader schema the flags name, or null: each value is read with its own writer schema. */
    private Schema schema() {
        return ValueSchemaOptions.explicit(valueSchema, valueType);
    }
}
