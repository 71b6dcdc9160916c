package io.statecast.materializer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The materializer's command-line arguments, one definition for the runnable jar ({@link Main}) and for
 * {@code statecast materialize} (a picocli mixin in both). The flags only name keys of {@link
 * MaterializerConfig}; {@link #config(Map)} loads the file, the environment and these flags through it, so
 * defaults, types and validation live there.
 *
 * <pre>{@code
 * @Command(name = "materialize")
 * class MaterializeCommand implements Callable<Integer> {
 *     @Mixin MaterializerOptions options;
 *     public Integer call() { Main.run(options.config(System.getenv())); return 0; }
 * }
 * }</pre>
 */
public final class MaterializerOptions {
    /** The command's description, for the {@code @Command} of each command that mixes these options in. */
    public static final String DESCRIPTION =
            "Run the materializer of a namespace (Kafka Streams, exactly-once) until Ctrl-C/SIGTERM.%n"
                    + "Configuration: --config FILE, then STATECAST_* environment variables, then these flags;%n"
                    + "keys that are not Statecast's pass through to Kafka Streams (-D num.stream.threads=2).";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: localhost:9092).")
    String bootstrapServers;

    @Option(names = "--namespace", description = "Namespace to materialize (or STATECAST_NAMESPACE / the file).")
    String namespace;

    @Option(names = "--config", description = "Properties file: Statecast keys and Kafka Streams/client properties.")
    Path config;

    @Option(
            names = "--http-port",
            description = "Port of /health, /ready, /metrics, /state/{key}, POST /checksums (default: 8080).")
    Integer httpPort;

    @Option(names = "--checksum-interval-ms", description = "Checksum interval per partition (default: 10000).")
    Long checksumIntervalMs;

    @Option(names = "-D", description = "Any other setting, key=value (Statecast's or Kafka Streams').")
    Map<String, String> settings = new HashMap<>();

    @Parameters(
            arity = "0..*",
            paramLabel = "key=value",
            description = "Settings like -D, without the flag (as compose passes them).")
    List<String> positional = new ArrayList<>();

    /** The configuration: {@code --config} file, then {@code STATECAST_*} variables of {@code env}, then the flags. */
    public MaterializerConfig config(Map<String, String> env) {
        return MaterializerConfig.load(config, env, overrides());
    }

    /** What the flags set, by configuration key (later wins: positional settings, -D, then the named flags). */
    Map<String, Object> overrides() {
        Map<String, Object> m = new HashMap<>();
        for (String kv : positional) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "expected key=value, got '" + kv + "'");
            }
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        m.putAll(settings);
        put(m, MaterializerConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        put(m, MaterializerConfig.NAMESPACE, namespace);
        put(m, MaterializerConfig.HTTP_PORT, httpPort);
        put(m, MaterializerConfig.CHECKSUM_INTERVAL_MS, checksumIntervalMs);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
