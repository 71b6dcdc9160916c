package io.statecast.devtools.demo;

import io.statecast.cli.simulate.ClusterSimulator;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.EmbeddedKafkaCluster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The demo run: broker, topics, two materializers (nodes, pods), the simulator, the agents, the
 * scale-up waves, the live view, the final equality check and the summary.
 */
public final class Demo {
    private final DemoSettings s;
    private final PrintWriter out;
    private final boolean terminal;
    private final List<Agent> agents = new CopyOnWriteArrayList<>();
    private final ConcurrentHistogram ryw = new ConcurrentHistogram(3);
    private final AtomicLong changes = new AtomicLong();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Map<String, Object> kafka;
    private Namespace podsNs;

    public Demo(DemoSettings settings, PrintWriter out, boolean terminal) {
        this.s = settings;
        this.out = out;
        this.terminal = terminal;
    }

    /** Runs the demo; returns the exit code (0 only when every agent's view equals its node's table). */
    public int run() throws Exception {
        Path work = Files.createTempDirectory("statecast-demo-");
        try {
            kafka = new HashMap<>(Map.of("bootstrap.servers", broker(work)));
            String prefix = "demo-" + Long.toString(System.currentTimeMillis() % 100_000, 36);
            Namespace nodesNs = Namespace.of(prefix + "-nodes");
            podsNs = Namespace.of(prefix + "-pods");
            say("Creating namespaces " + nodesNs + " and " + podsNs + " and starting their materializers...");
            try (TopicProvisioner p = new TopicProvisioner(kafka)) {
                p.create(
                        nodesNs, TopicOptions.defaults().withPartitions(2).withChecksumInterval(Duration.ofSeconds(2)));
                p.create(podsNs, TopicOptions.defaults().withPartitions(6).withChecksumInterval(Duration.ofSeconds(2)));
            }
            materializer(nodesNs, work.resolve("m-nodes"));
            materializer(podsNs, work.resolve("m-pods"));
            return simulate(nodesNs);
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
            agents.forEach(Agent::close);
            deleteQuietly(work);
        }
    }

    private String broker(Path work) {
        if (s.bootstrapServers() != null) {
            return s.bootstrapServers();
        }
        say("Starting an embedded Kafka broker (KRaft)...");
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder()
                .dataDir(work.resolve("kafka"))
                .build()
                .start();
        closing.add(cluster);
        return cluster.bootstrapServers();
    }

    private void materializer(Namespace ns, Path stateDir) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 2000L);
        c.put(MaterializerConfig.STATE_DIR, stateDir.toString());
        Materializer m = new Materializer(new MaterializerConfig(c)).start();
        closing.add(m);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (m.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    private int simulate(Namespace nodesNs) throws Exception {
        ClusterSimulator sim = new ClusterSimulator(s.seed());
        try (StatecastProducer<Node> nodes = StatecastProducer.builder(Node.class)
                        .namespace(nodesNs.name())
                        .kafka(kafka)
                        .producerId("simulator")
                        .build();
                StatecastProducer<Pod> pods = StatecastProducer.builder(Pod.class)
                        .namespace(podsNs.name())
                        .kafka(kafka)
                        .producerId("simulator")
                        .build()) {
            for (int i = 0; i < s.nodes(); i++) {
                write(nodes, pods, sim.joinNode());
            }
            for (int i = 0; i < s.pods(); i++) {
                write(nodes, pods, sim.createPod(i % 10 != 0));
            }
            pods.flush();
            say("Cluster of " + s.nodes() + " nodes and " + s.pods() + " pods written; starting one agent per node.");
            for (int i = 0; i < s.nodes(); i++) {
                agents.add(agent(sim.nodes().get(i), 0, Duration.ZERO, i == s.corruptAgent()));
            }
            long start = System.nanoTime();
            long total = s.duration().toNanos();
            int wave = 0;
            long nextDraw = 0;
            long sent = 0;
            Map<Integer, Receipt> last = new HashMap<>();
            while (System.nanoTime() - start < total) {
                long elapsed = System.nanoTime() - start;
                if (wave == 0 && elapsed > total * 30 / 100) {
                    wave = scaleUp(1, Duration.ZERO, sim, nodes, pods);
                } else if (wave == 1 && elapsed > total * 60 / 100) {
                    wave = scaleUp(2, s.splay(), sim, nodes, pods);
                }
                long due = elapsed * s.rate() / 1_000_000_000L;
                for (; sent < due; sent++) {
                    track(write(nodes, pods, sim.next()), sent, last);
                }
                if (elapsed >= nextDraw) {
                    draw(elapsed / 1e9);
                    nextDraw = elapsed + (terminal ? 1_000_000_000L : 5_000_000_000L);
                }
                sleep(5);
            }
            pods.flush();
            return finish(sim, last);
        }
    }

    private int scaleUp(
            int wave,
            Duration splay,
            ClusterSimulator sim,
            StatecastProducer<Node> nodes,
            StatecastProducer<Pod> pods) {
        say(String.format(
                "Scale-up wave %d: %d nodes join and their agents start at once%s.",
                wave,
                s.agentsPerWave(),
                splay.isZero() ? ", without splay" : ", with a " + splay.toSeconds() + " s start-up splay"));
        for (int i = 0; i < s.agentsPerWave(); i++) {
            write(nodes, pods, sim.joinNode());
            agents.add(agent(sim.nodes().get(sim.nodes().size() - 1), wave, splay, false));
        }
        return wave;
    }

    private Agent agent(String node, int wave, Duration splay, boolean corruptible) {
        AtomicLong deltas = new AtomicLong();
        StateView.Builder<Pod> b = StateView.builder(Pod.class)
                .namespace(podsNs.name())
                .kafka(Map.of("bootstrap.servers", kafka.get("bootstrap.servers"), "client.id", "agent-" + node))
                .filter(p -> node.equals(p.getNode()))
                .index("byNode", Pod::getNode)
                .listener("deltas", c -> {
                    if (!c.meta().initial()) {
                        deltas.incrementAndGet();
                    }
                });
        if (!splay.isZero()) {
            b.startupSplay(splay, s.seed() + node.hashCode());
        }
        if (corruptible) {
            b.verification(false, 16); // the corrupted agent cannot heal: the final check must catch it
        }
        return new Agent(node, wave, b.build(), deltas);
    }

    private CompletableFuture<Receipt> write(
            StatecastProducer<Node> nodes, StatecastProducer<Pod> pods, ClusterSimulator.Step step) {
        changes.incrementAndGet();
        if (step.node() != null) {
            return nodes.upsert(step.key(), step.node());
        }
        return step.delete() ? pods.delete(step.key()) : pods.upsert(step.key(), step.pod());
    }

    // Read-your-writes: every 25th change, time send → visible in the agent of the pod's node.
    private void track(CompletableFuture<Receipt> receipt, long n, Map<Integer, Receipt> last) {
        long sentAt = System.nanoTime();
        receipt.thenAccept(r -> {
            synchronized (last) {
                last.merge(r.partition(), r, (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            if (n % 25 == 0 && r.topic().equals(podsNs.changes())) {
                Agent a = agents.get((int) (n / 25 % agents.size()));
                if (a.ready()) {
                    a.view.await(r).thenRun(() -> ryw.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000)));
                }
            }
        });
    }

    private void corruptIfAsked() {
        if (s.corruptAgent() < 0) {
            return;
        }
        Agent a = agents.get(s.corruptAgent());
        a.view.awaitReady(Duration.ofSeconds(60));
        String victim = a.view.snapshot().keySet().stream().findFirst().orElse(null);
        if (victim != null) {
            ViewTestSeams.injectDivergence(a.view, "DROP_ENTRY", victim);
            say("Test hook: dropped " + victim + " from the view of agent " + a.node + " (self-heal off).");
        }
    }

    private int finish(ClusterSimulator sim, Map<Integer, Receipt> last) {
        say("Churn stopped; checking every agent against the authoritative table...");
        // One deadline for the whole catch-up: a stuck materializer must end the demo, not stall it per agent.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Agent a : agents) {
            a.view.awaitReady(remaining(deadline));
            synchronized (last) {
                last.values().stream()
                        .filter(r -> r.topic().equals(podsNs.changes()))
                        .forEach(r -> a.view.await(r, remaining(deadline)));
            }
        }
        // Only now, with every write visible: a state record still in flight could re-add the dropped entry.
        corruptIfAsked();
        Map<String, Map<String, Pod>> table = authoritativeByNode();
        List<String> wrong = new ArrayList<>();
        for (Agent a : agents) {
            Map<String, Pod> expected = table.getOrDefault(a.node, Map.of());
            if (!waitEqual(a, expected)) {
                wrong.add(a.node + " (view " + a.view.size() + " pods, table " + expected.size() + ")");
            }
        }
        draw(s.duration().toSeconds());
        summary(table);
        if (!wrong.isEmpty()) {
            say("FAILED: these agents' views differ from the authoritative table: " + wrong);
            return 1;
        }
        say("OK: all " + agents.size() + " agents' views equal the authoritative table for their node.");
        return 0;
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    private static boolean waitEqual(Agent a, Map<String, Pod> expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (a.view.snapshot().equals(expected)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(100);
        }
    }

    // The table as the materializer wrote it: the latest state record of each key.
    private Map<String, Map<String, Pod>> authoritativeByNode() {
        AvroCodec<Pod> codec = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka, Map.of())) {
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(c, podsNs.state(), Duration.ofSeconds(60))) {
                String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (r.value() == null) {
                    latest.remove(key);
                } else {
                    latest.put(key, r.value());
                }
            }
        }
        Map<String, Map<String, Pod>> byNode = new HashMap<>();
        latest.forEach((k, v) -> {
            java.nio.ByteBuffer payload = Envelopes.stateRecord().decode(v).getPayload();
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            Pod p = codec.decode(bytes);
            if (p.getNode() != null) {
                byNode.computeIfAbsent(p.getNode(), n -> new HashMap<>()).put(k, p);
            }
        });
        return byNode;
    }

    private void draw(double seconds) {
        long ready = agents.stream().filter(Agent::ready).count();
        long verified = 0;
        long mismatched = 0;
        long notComparable = 0;
        long lag = 0;
        long bytes = 0;
        for (Agent a : agents) {
            ViewStats st = a.view.stats();
            verified += st.checks().verified();
            mismatched += st.checks().mismatched();
            notComparable += st.checks().notComparable();
            lag += st.partitions().stream().mapToLong(p -> Math.max(0, p.lag())).sum();
            bytes += st.bytesFetched();
        }
        String line = String.format(
                "t=%4.0fs  changes=%7d (%4.0f/s)  agents ready %3d/%-3d  lag=%6d  checksums verified=%d mismatched=%d"
                        + " not-comparable=%d  fetched=%.1f MB",
                seconds,
                changes.get(),
                seconds >= 1 ? changes.get() / seconds : 0.0,
                ready,
                agents.size(),
                lag,
                verified,
                mismatched,
                notComparable,
                bytes / 1e6);
        if (terminal) {
            out.print("\r\033[2K" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void summary(Map<String, Map<String, Pod>> table) {
        out.println();
        out.println("Summary");
        out.printf(
                "  %-28s %8s %10s %10s %10s %14s %10s%n",
                "agents", "count", "boot p50", "boot max", "spread", "fetched/agent", "deltas");
        for (int w = 0; w <= 2; w++) {
            int wave = w;
            List<Agent> in = agents.stream().filter(a -> a.wave == wave).toList();
            if (in.isEmpty()) {
                continue;
            }
            double[] boots = in.stream()
                    .mapToDouble(Agent::bootstrapSeconds)
                    .filter(d -> !Double.isNaN(d))
                    .sorted()
                    .toArray();
            double spread = in.stream()
                    .mapToDouble(a -> a.view.stats().splay().toMillis() / 1000.0)
                    .max()
                    .orElse(0);
            long fetched =
                    in.stream().mapToLong(a -> a.view.stats().bytesFetched()).sum() / in.size();
            long deltas = in.stream().mapToLong(a -> a.deltas.get()).sum();
            String name = w == 0
                    ? "initial (one per node)"
                    : w == 1
                            ? "scale-up 1 (no splay)"
                            : "scale-up 2 (splay " + s.splay().toSeconds() + " s)";
            out.printf(
                    "  %-28s %8d %9.2fs %9.2fs %9.2fs %11.1f KB %10d%n",
                    name,
                    in.size(),
                    boots.length == 0 ? Double.NaN : boots[boots.length / 2],
                    boots.length == 0 ? Double.NaN : boots[boots.length - 1],
                    spread,
                    fetched / 1e3,
                    deltas);
        }
        out.printf(
                "  read-your-writes (send -> visible in the agent): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d samples%n",
                ryw.getValueAtPercentile(50) / 1e3,
                ryw.getValueAtPercentile(99) / 1e3,
                ryw.getMaxValue() / 1e3,
                ryw.getTotalCount());
        out.printf(
                "  authoritative table: %d pods on %d nodes; %d changes written%n",
                table.values().stream().mapToInt(Map::size).sum(), table.size(), changes.get());
        out.flush();
    }

    private void say(String line) {
        if (terminal) {
            out.print("\r\033[2K");
        }
        out.println(line);
        out.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            io.statecast.testkit.Dirs.deleteRecursively(dir);
        } catch (java.io.UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
