package io.statecast.testkit;

import io.statecast.testkit.internal.EmbeddedNode;
import io.statecast.testkit.internal.FreePorts;
import io.statecast.testkit.internal.NodeDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft Kafka cluster inside this JVM, from Kafka's own jars: 1..N combined broker+controller
 * nodes, the production metadata version with unstable features off, data in a directory the caller
 * chooses. Each node keeps its client port across {@link #stopBroker}/{@link #startBroker}, so clients
 * reconnect after a restart, and a restart keeps the node's data.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).build().start()) {
 *     Map<String, Object> config = kafka.clientConfig();
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    /** Default bound of {@link #close()}: nodes still stopping after it are left behind (daemon threads). */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final List<EmbeddedNode> nodes = new ArrayList<>();
    private final Builder spec;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaCluster(Builder spec) {
        this.spec = spec;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the nodes' directories when they are new, starts every node and waits until all brokers answer. */
    public EmbeddedKafkaCluster start() {
        if (!started.compareAndSet(false, true)) {
            return this;
        }
        List<Integer> clientPorts = FreePorts.take(spec.brokers, spec.port);
        List<Integer> controllerPorts = FreePorts.take(spec.brokers, 0);
        String voters = voters(controllerPorts);
        String clusterId = Uuid.randomUuid().toString();
        for (int id = 0; id < spec.brokers; id++) {
            Path dir = spec.dataDir.resolve("node-" + id);
            nodes.add(new EmbeddedNode(
                    id,
                    dir,
                    nodeConfig(id, dir, clientPorts.get(id), controllerPorts.get(id), voters),
                    clusterId,
                    spec.security));
        }
        if (spec.port > 0) { // fixed ports: say which one is taken rather than fail deep inside a node
            clientPorts.forEach(p -> FreePorts.requireFree(spec.bindHost, p));
        }
        try {
            nodes.parallelStream().forEach(EmbeddedNode::start);
            awaitBrokers(spec.brokers, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            stopAll(spec.closeTimeout);
            throw new IllegalStateException(
                    "Embedded Kafka did not start (data: " + spec.dataDir + "): " + rootMessage(e), e);
        }
        log.info("Embedded Kafka ({} node(s)) ready at {} (data: {})", spec.brokers, bootstrapServers(), spec.dataDir);
        return this;
    }

    @Override
    public String bootstrapServers() {
        StringJoiner j = new StringJoiner(",");
        nodes.forEach(n -> j.add(spec.advertisedHost + ":" + n.clientPort()));
        return j.toString();
    }

    @Override
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        if (spec.security != null) {
            config.putAll(spec.security.superUser().clientConfig());
        }
        config.put("bootstrap.servers", bootstrapServers());
        return config;
    }

    /** Number of nodes. */
    public int size() {
        return spec.brokers;
    }

    /** Where node {@code id} keeps its data. */
    public Path dataDir(int id) {
        return nodes.get(id).dir();
    }

    /** Stops node {@code id} (broker and its controller), keeping its data and its ports. */
    public void stopBroker(int id) {
        nodes.get(id).stop();
    }

    /** Starts a node stopped by {@link #stopBroker} again, on the same data and ports, and waits until it answers. */
    public void startBroker(int id) {
        nodes.get(id).start();
        awaitBrokers(runningCount(), Duration.ofSeconds(60));
    }

    /** Whether node {@code id} is running. */
    public boolean isRunning(int id) {
        return nodes.get(id).isRunning();
    }

    /**
     * Stops every node (in parallel, at most 30 s) and deletes the data directory if the builder chose
     * it and every node stopped. Idempotent. A caller-chosen {@link Builder#dataDir} is kept for the next
     * start.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean stopped = stopAll(spec.closeTimeout);
        if (spec.deleteOnClose && stopped) {
            Dirs.deleteRecursively(spec.dataDir);
        } else if (spec.deleteOnClose) {
            // Deleting the files of a node still running fails its log directory, and Kafka then halts.
            log.warn("Embedded Kafka: keeping {} because a node is still stopping", spec.dataDir);
        }
    }

    /** The data directory (one sub-directory per node). */
    public Path dataDir() {
        return spec.dataDir;
    }

    // Stops the nodes in parallel, giving up after the timeout so that close() is bounded. A 3-node
    // cluster takes ~5 s: the last voters cannot finish Raft's graceful shutdown without a quorum.
    private boolean stopAll(Duration timeout) {
        List<Thread> stoppers = new ArrayList<>();
        for (EmbeddedNode node : nodes) {
            Thread t = new Thread(node::stop, "statecast-testkit-stop-node-" + node.id());
            t.setDaemon(true);
            t.start();
            stoppers.add(t);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean allStopped = true;
        for (Thread t : stoppers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (t.isAlive()) {
                log.warn("Embedded Kafka: {} still running after {}; leaving it behind", t.getName(), timeout);
                allStopped = false;
            }
        }
        return allStopped;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private int runningCount() {
        return (int) nodes.stream().filter(EmbeddedNode::isRunning).count();
    }

    private String voters(List<Integer> controllerPorts) {
        StringJoiner j = new StringJoiner(",");
        for (int id = 0; id < controllerPorts.size(); id++) {
            j.add(id + "@127.0.0.1:" + controllerPorts.get(id));
        }
        return j.toString();
    }

    private Properties nodeConfig(int id, Path dir, int clientPort, int controllerPort, String voters) {
        Properties p = new Properties();
        String clientListener = spec.security == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(id));
        p.put("controller.quorum.voters", voters);
        p.put(
                "listeners",
                clientListener + "://" + spec.bindHost + ":" + clientPort + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.put("advertised.listeners", clientListener + "://" + spec.advertisedHost + ":" + clientPort);
        p.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", clientListener);
        p.put("log.dirs", dir.resolve("data").toString());
        NodeDefaults.apply(p, spec.brokers);
        if (spec.security != null) {
            spec.security.brokerConfig().forEach(p::put);
        }
        spec.overrides.forEach(p::put);
        return p;
    }

    private void awaitBrokers(int expected, Duration timeout) {
        try (Admin admin = Admin.create(adminConfig())) {
            Conditions.waitFor(
                    expected + " broker(s) answer DescribeCluster",
                    timeout,
                    () -> admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .size(),
                    seen -> seen >= expected);
        } catch (AssertionError e) {
            // not only tests start clusters (statecast broker): a plain exception, as every other start failure
            throw new IllegalStateException(
                    "Embedded Kafka at " + bootstrapServers() + " not ready: " + e.getMessage(), e);
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = clientConfig();
        config.put("request.timeout.ms", 5000);
        config.put("default.api.timeout.ms", 10000);
        return config;
    }

    /** Builder of an {@link EmbeddedKafkaCluster}. */
    public static final class Builder {
        private int brokers = 1;
        private Path dataDir;
        private boolean deleteOnClose;
        private int port;
        private String bindHost = "127.0.0.1";
        private String advertisedHost = "127.0.0.1";
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private SecuritySetup security;
        private Duration closeTimeout = CLOSE_TIMEOUT;

        private Builder() {}

        // Tests shorten it to see what close() does with a node that has not stopped yet.
        Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** Number of combined broker+controller nodes (1 to 9). */
        public Builder brokers(int n) {
            if (n < 1 || n > 9) {
                throw new IllegalArgumentException("brokers must be between 1 and 9, was " + n);
            }
            this.brokers = n;
            return this;
        }

        /**
         * Where the nodes keep their data (one sub-directory per node). An existing, formatted directory
         * is reused with its data. Default: a fresh directory under the system property
         * {@code statecast.test.dir} (else {@code java.io.tmpdir}), deleted on close.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Client port of the first node; 0 (the default) picks free ports. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Address the client listener binds to (default 127.0.0.1). */
        public Builder bindHost(String host) {
            this.bindHost = host;
            return this;
        }

        /** Host name advertised to clients (default 127.0.0.1). */
        public Builder advertisedHost(String host) {
            this.advertisedHost = host;
            return this;
        }

        /** Any broker setting, applied last. */
        public Builder brokerConfig(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Turns the client listener into SASL_PLAINTEXT with SCRAM-SHA-512 and the standard authorizer. */
        public Builder security(SecuritySetup security) {
            this.security = security;
            return this;
        }

        public EmbeddedKafkaCluster build() {
            if (dataDir == null) {
                dataDir = Dirs.freshTestDir("kafka-");
                deleteOnClose = true;
            }
            return new EmbeddedKafkaCluster(this);
        }
    }
}
