package io.statecast.testkit.internal;

import io.statecast.testkit.SecuritySetup;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One combined broker+controller: formats its directory once, then starts and stops on the same data. */
public final class EmbeddedNode {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedNode.class);
    private final int id;
    private final Path dir;
    private final Properties config;
    private final String clusterId;
    private final SecuritySetup security;
    private KafkaRaftServer server;

    public EmbeddedNode(int id, Path dir, Properties config, String clusterId, SecuritySetup security) {
        this.id = id;
        this.dir = dir;
        this.config = config;
        this.clusterId = clusterId;
        this.security = security;
    }

    public int id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    public int clientPort() {
        String first = config.getProperty("advertised.listeners").split(",")[0];
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Starts the node; returns before the broker answers (the cluster waits for that). */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        format();
        keepTheProcessAlive();
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            // A half-started server (e.g. its port was taken) keeps threads and files: release them.
            shutdownQuietly(s);
            throw e;
        }
        server = s;
    }

    // A broker whose log directories all failed (e.g. deleted under a node that outlived its close
    // timeout) calls Exit.halt: in a test JVM or a demo that ends every test in the fork, not just that
    // broker. Kafka's own test harness replaces the procedures the same way.
    private static synchronized void keepTheProcessAlive() {
        Exit.setHaltProcedure((code, message) ->
                log.error("Embedded Kafka asked to halt the JVM ({}): {}; the process keeps running", code, message));
        Exit.setExitProcedure((code, message) ->
                log.error("Embedded Kafka asked to exit the JVM ({}): {}; the process keeps running", code, message));
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException suppressed) {
            // the start failure is what the caller needs to see
        }
    }

    /** Stops the node and waits for it; keeps its data. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    // Formats only a new directory: a restart, or a second `statecast broker` run, keeps the data.
    private void format() {
        Storage.formatIfNew(id, dir.resolve("data"), clusterId, security);
    }
}
