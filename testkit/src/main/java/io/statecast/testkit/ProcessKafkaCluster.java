package io.statecast.testkit;

import io.statecast.testkit.internal.FreePorts;
import io.statecast.testkit.internal.KafkaProcess;
import io.statecast.testkit.internal.NodeDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft Kafka cluster whose brokers and controller each run in a JVM of their own (Kafka's own
 * {@code kafka.Kafka} on a generated server.properties, on this JVM's class path), so that a test can
 * crash a broker for real: {@link #killBroker} sends SIGKILL — no shutdown hook, no controlled
 * shutdown, no flush — and {@link #startBroker} starts it again on the same log directory and port, where
 * Kafka recovers the log as after a crash.
 *
 * <pre>{@code
 * try (ProcessKafkaCluster kafka = ProcessKafkaCluster.builder().brokers(3).build().start()) {
 *     int exit = kafka.killBroker(1);       // 137: killed by SIGKILL
 *     kafka.startBroker(1);                 // same data, same address
 *     kafka.awaitFullyReplicated(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>Brokers have node ids 0..n-1; one controller-only node ({@link #CONTROLLER_ID}) holds the metadata
 * quorum. Same settings as {@link EmbeddedKafkaCluster} (production metadata version, internal topics
 * sized to the cluster, {@code auto.create.topics.enable=false}). A node JVM halts when the JVM that
 * started it dies, so none outlives its test.
 */
public final class ProcessKafkaCluster implements KafkaCluster {
    /** Node id of the controller. */
    public static final int CONTROLLER_ID = 100;

    private static final Logger log = LoggerFactory.getLogger(ProcessKafkaCluster.class);
    private static final long STOP_SECONDS = 30;

    private final Builder spec;
    private final List<KafkaProcess> brokers = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private KafkaProcess controller;
    private String clusterId;
    private Admin admin;

    private ProcessKafkaCluster(Builder spec) {
        this.spec = spec;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats new log directories, starts the controller and every broker, and waits until all brokers answer. */
    public ProcessKafkaCluster start() {
        if (!started.compareAndSet(false, true)) {
            return this;
        }
        long t0 = System.nanoTime();
        clientPorts.addAll(FreePorts.take(spec.brokers, 0));
        int controllerPort = FreePorts.take(1, 0).get(0);
        String voters = CONTROLLER_ID + "@127.0.0.1:" + controllerPort;
        clusterId = Uuid.randomUuid().toString();
        controller = new KafkaProcess(
                CONTROLLER_ID, nodeDir(CONTROLLER_ID), controllerConfig(controllerPort, voters), spec.heap);
        for (int id = 0; id < spec.brokers; id++) {
            brokers.add(new KafkaProcess(id, nodeDir(id), brokerConfig(id, voters), spec.heap));
        }
        try {
            controller.start(clusterId);
            brokers.forEach(b -> b.start(clusterId));
            awaitRegistered(brokers);
        } catch (RuntimeException e) {
            stopAll();
            throw e;
        }
        log.info(
                "Kafka in {} processes ready at {} in {} ms (data: {})",
                spec.brokers + 1,
                bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000,
                spec.dataDir);
        return this;
    }

    @Override
    public String bootstrapServers() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    @Override
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers());
        return config;
    }

    /** Number of brokers. */
    public int size() {
        return spec.brokers;
    }

    /** Where broker {@code id} keeps its log (its {@code log.dirs}). */
    public Path dataDir(int id) {
        return KafkaProcess.dataDir(broker(id).dir());
    }

    /** The operating system's process id of broker {@code id}'s JVM (changes on each start). */
    public long pid(int id) {
        return broker(id).pid();
    }

    /** Whether broker {@code id}'s JVM is alive. */
    public boolean isRunning(int id) {
        return broker(id).isRunning();
    }

    /**
     * Crashes broker {@code id}: SIGKILL, then waits until its JVM is gone. Returns the exit code (137 on
     * Linux: killed by signal 9). The controller fences it after {@code broker.session.timeout.ms}.
     */
    public int killBroker(int id) {
        int exit = broker(id).kill();
        log.info("Kafka broker {} killed (exit code {})", id, exit);
        return exit;
    }

    /** Stops broker {@code id} gracefully (SIGTERM: controlled shutdown), SIGKILL after 30 s; returns the exit code. */
    public int stopBroker(int id) {
        return broker(id).stop(STOP_SECONDS);
    }

    /**
     * Starts broker {@code id} again on its log directory and port (Kafka recovers a log left by a crash)
     * and waits until the cluster lists it as an alive, unfenced broker. It may still be catching up as a
     * follower: {@link #awaitFullyReplicated} waits for that.
     */
    public void startBroker(int id) {
        long t0 = System.nanoTime();
        broker(id).start(clusterId);
        awaitRegistered(List.of(broker(id)));
        log.info("Kafka broker {} started again (pid {}) in {} ms", id, pid(id), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Waits until every partition of every topic (internal ones included) has a leader and all its
     * replicas in sync, e.g. after a restarted broker caught up, before the next fault.
     */
    public void awaitFullyReplicated(Duration timeout) {
        Conditions.waitFor(
                "every partition fully replicated (partitions whose ISR lacks a replica)",
                timeout,
                this::underReplicated,
                List::isEmpty);
    }

    /** Node id of the broker that is the transaction coordinator of {@code transactionalId} now. */
    public int transactionCoordinator(String transactionalId) {
        try {
            return admin.describeTransactions(List.of(transactionalId))
                    .description(transactionalId)
                    .get(30, TimeUnit.SECONDS)
                    .coordinatorId();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot find the coordinator of transaction " + transactionalId, e);
        }
    }

    /** Node id of the leader of {@code topic}'s partition {@code partition}, -1 when it has none. */
    public int leaderOf(String topic, int partition) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic);
            Node leader = d.partitions().get(partition).leader();
            return leader == null ? -1 : leader.id();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe " + topic, e);
        }
    }

    /**
     * Stops the brokers gracefully (in parallel), then the controller; deletes the data directory if the
     * builder chose it. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long t0 = System.nanoTime();
            stopAll();
            log.info("Kafka processes stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
            if (spec.deleteOnClose) {
                Dirs.deleteRecursively(spec.dataDir);
            }
        }
    }

    private void stopAll() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        brokers.parallelStream().forEach(b -> b.stop(STOP_SECONDS));
        if (controller != null) {
            controller.stop(STOP_SECONDS);
        }
    }

    private KafkaProcess broker(int id) {
        if (id < 0 || id >= brokers.size()) {
            throw new IllegalArgumentException("no broker " + id + " (brokers: 0.." + (brokers.size() - 1) + ")");
        }
        return brokers.get(id);
    }

    private Path nodeDir(int id) {
        return spec.dataDir.resolve(id == CONTROLLER_ID ? "controller" : "broker-" + id);
    }

    // Fails at once, with the node's log, when one of the awaited JVMs exits instead of registering.
    private void awaitRegistered(List<KafkaProcess> expected) {
        Set<Integer> ids = expected.stream().map(KafkaProcess::id).collect(Collectors.toCollection(TreeSet::new));
        List<KafkaProcess> watched = new ArrayList<>(expected);
        watched.add(controller);
        Object last = Conditions.waitFor(
                "brokers " + ids + " registered and unfenced (alive brokers listed)",
                spec.startTimeout,
                () -> exitedOrAlive(watched, expected),
                seen -> seen instanceof KafkaProcess || seen instanceof Set<?> alive && alive.containsAll(ids));
        if (last instanceof KafkaProcess dead) {
            throw new IllegalStateException("Kafka node " + dead.id() + " exited during start; its log (" + dead.dir()
                    + "/process.log):\n" + dead.tail(40));
        }
    }

    // The admin client is created once every broker listens: before that it would log a WARN per retry.
    private Object exitedOrAlive(List<KafkaProcess> watched, List<KafkaProcess> expected) throws Exception {
        for (KafkaProcess p : watched) {
            if (p.hasExited()) {
                return p;
            }
        }
        for (KafkaProcess p : expected) {
            if (!FreePorts.accepts("127.0.0.1", clientPorts.get(p.id()))) {
                return "broker " + p.id() + " not listening yet";
            }
        }
        if (admin == null) {
            admin = Admin.create(adminConfig());
        }
        return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                .map(Node::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<String> underReplicated() throws Exception {
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                .names()
                .get(10, TimeUnit.SECONDS);
        List<String> out = new ArrayList<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .forEach((name, d) -> d.partitions().forEach(p -> {
                    if (p.leader() == null || p.isr().size() < p.replicas().size()) {
                        out.add(name + "-" + p.partition() + " isr " + ids(p.isr()) + " of " + ids(p.replicas()));
                    }
                }));
        return out;
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = clientConfig();
        config.put("request.timeout.ms", 5000);
        config.put("default.api.timeout.ms", 10000);
        return config;
    }

    private Properties controllerConfig(int port, String voters) {
        Properties p = common(CONTROLLER_ID, voters);
        p.put("process.roles", "controller");
        p.put("listeners", "CONTROLLER://127.0.0.1:" + port);
        spec.controllerOverrides.forEach(p::put);
        return p;
    }

    private Properties brokerConfig(int id, String voters) {
        Properties p = common(id, voters);
        p.put("process.roles", "broker");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPorts.get(id));
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPorts.get(id));
        p.put("inter.broker.listener.name", "PLAINTEXT");
        spec.overrides.forEach(p::put);
        return p;
    }

    private Properties common(int id, String voters) {
        Properties p = new Properties();
        p.put("node.id", Integer.toString(id));
        p.put("controller.quorum.voters", voters);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", KafkaProcess.dataDir(nodeDir(id)).toString());
        NodeDefaults.apply(p, spec.brokers);
        return p;
    }

    /** Builder of a {@link ProcessKafkaCluster}. */
    public static final class Builder {
        private int brokers = 3;
        private Path dataDir;
        private boolean deleteOnClose;
        private String heap = "512m";
        private Duration startTimeout = Duration.ofMinutes(3);
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, String> controllerOverrides = new LinkedHashMap<>();

        private Builder() {}

        /** Number of brokers (1 to 9; default 3), each in its own JVM, plus one controller JVM. */
        public Builder brokers(int n) {
            if (n < 1 || n > 9) {
                throw new IllegalArgumentException("brokers must be between 1 and 9, was " + n);
            }
            this.brokers = n;
            return this;
        }

        /**
         * Where the nodes keep their data (one sub-directory per node: server.properties, process.log,
         * data). Default: a fresh directory under {@code statecast.test.dir}, deleted on close.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Maximum heap of each node's JVM ({@code -Xmx}; default 512m). */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** Any broker setting (not the controller's), applied last. */
        public Builder brokerConfig(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * Any controller setting, applied last. In KRaft the controller applies some settings that look
         * like broker ones, e.g. {@code default.replication.factor} for topics created without one.
         */
        public Builder controllerConfig(String key, String value) {
            controllerOverrides.put(key, value);
            return this;
        }

        /**
         * How long a start or restart may take until the brokers are registered (default 3 minutes: a fresh
         * JVM per node, and a crashed broker recovers its logs first).
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public ProcessKafkaCluster build() {
            if (dataDir == null) {
                dataDir = Dirs.freshTestDir("kafka-processes-");
                deleteOnClose = true;
            }
            return new ProcessKafkaCluster(this);
        }
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "ProcessKafkaCluster[", "]");
        brokers.forEach(b -> j.add("broker " + b.id() + (b.isRunning() ? " pid " + b.pid() : " down")));
        return j.toString();
    }
}
