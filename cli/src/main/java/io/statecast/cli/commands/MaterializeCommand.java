package io.statecast.cli.commands;

import io.statecast.materializer.Main;
import io.statecast.materializer.MaterializerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code statecast materialize}: the materializer in the foreground until SIGTERM. */
@Command(
        name = "materialize",
        mixinStandardHelpOptions = true,
        description = {
            "Run the materializer of a namespace (Kafka Streams, exactly-once) until Ctrl-C/SIGTERM.",
            "Configuration: --config FILE, then STATECAST_* environment variables, then these flags;",
            "keys that are not Statecast's pass through to Kafka Streams (-D num.stream.threads=2)."
        })
public final class MaterializeCommand implements Callable<Integer> {
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

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> overrides = new HashMap<>(settings);
        put(overrides, MaterializerConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        put(overrides, MaterializerConfig.NAMESPACE, namespace);
        put(overrides, MaterializerConfig.HTTP_PORT, httpPort);
        put(overrides, MaterializerConfig.CHECKSUM_INTERVAL_MS, checksumIntervalMs);
        Main.run(MaterializerConfig.load(config, System.getenv(), overrides));
        return 0;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
