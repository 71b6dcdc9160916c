package io.statecast.cli.commands;

import io.statecast.common.ConfigurationException;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.MissingTopicException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
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

    /** How long a command waits for the brokers to answer its first question before it gives up. */
    static final Duration REACH_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Fails fast, before a command starts its clients, when the brokers cannot be reached (exit 1) or a topic the
     * command needs does not exist (exit 2, naming the command that creates it).
     */
    public void requireTopics(String... topics) {
        requireTopics(kafka(), topics);
    }

    /** As {@link #requireTopics(String...)}, over the client configuration {@code kafka}. */
    public static void requireTopics(Map<String, Object> kafka, String... topics) {
        Admin admin = KafkaClients.admin(kafka);
        try {
            Set<String> names = admin.listTopics().names().get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (String t : topics) {
                if (!names.contains(t)) {
                    throw new MissingTopicException(t);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new StatecastException(
                    "Cannot reach Kafka at " + kafka.get("bootstrap.servers") + " within " + REACH_TIMEOUT.toSeconds()
                            + " s; check --bootstrap-servers and that the brokers are up",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        } finally {
            admin.close(Duration.ZERO); // a call still pending on dead brokers would hold a bounded close for 60 s
        }
    }

    /** The client configuration: the properties file, then --bootstrap-servers. */
    public Map<String, Object> kafka() {
        Map<String, Object> c = new HashMap<>();
        if (config != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            } catch (IOException e) {
                throw new ConfigurationException("Cannot read --config " + config + ": " + e.getMessage(), e);
            }
            p.forEach((k, v) -> c.put(k.toString(), v));
        }
        c.put("bootstrap.servers", bootstrapServers);
        return c;
    }
}
