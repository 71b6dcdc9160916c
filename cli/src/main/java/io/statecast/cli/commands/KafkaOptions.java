package io.statecast.cli.commands;

import io.statecast.common.StatecastException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Options every command that talks to Kafka shares (a picocli mixin). */
public final class KafkaOptions {
    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:STATECAST_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $STATECAST_BOOTSTRAP_SERVERS or localhost:9092).")
    String bootstrapServers;

    @Option(names = "--config", description = "Kafka client properties file (security, client.id...), passed through.")
    Path config;

    /** The client configuration: the properties file, then --bootstrap-servers. */
    public Map<String, Object> kafka() {
        Map<String, Object> c = new HashMap<>();
        if (config != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            } catch (IOException e) {
                throw new StatecastException("Cannot read " + config + ": " + e.getMessage(), e);
            }
            p.forEach((k, v) -> c.put(k.toString(), v));
        }
        c.put("bootstrap.servers", bootstrapServers);
        return c;
    }
}
