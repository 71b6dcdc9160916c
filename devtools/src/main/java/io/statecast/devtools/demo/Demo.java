package io.statecast.devtools.demo;

import io.statecast.cli.simulate.ClusterSimulator;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
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
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo run: broker, topics, two materializers (nodes, pods), the simulator, the agents, the
 * scale-up waves, the live view, the final equality check, the summary and the report. The terminal
 * shows the status line, the waves and the summary; the logs go to {@code demo.log} of the run
 * directory (also to the console with {@code --verbose}). Everything stops, agents first, then the
 * materializers, then the broker, before the summary is printed: nothing follows it.
 */
public final class Demo {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    private final DemoSettings s;
    private final PrintWriter out;
    private final boolean terminal;
    private final Path runDir;
    private final boolean verbose;
    private final List<Agent> agents = new CopyOnWriteArrayList<>();
    private final AtomicLong changes = new AtomicLong();
    private final List<Materializer> materializers = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private EmbeddedKafkaCluster broker;
    private DemoRecorder recorder = new DemoRecorder(System.nanoTime());
    private DemoReport.Data report;
    private Map<String, Object> kafka;
    private Namespace podsNs;

    /**
     * @param runDir where the run leaves its log ({@code demo.log}) and report ({@code report.html})
     * @param verbose whether the logs also go to the console
     */
    public Demo(DemoSettings settings, PrintWriter out, boolean terminal, Path runDir, boolean verbose) {
        this.s = settings;
        this.out = out;
        this.terminal = terminal;
        this.runDir = runDir;
        this.verbose = verbose;
    }

    /** Runs the demo; returns the exit code (0 only when every agent's view equals its node's table). */
    public int run() throws Exception {
        Files.createDirectories(runDir);
        Path work = runDir.resolve("work");
        Path logFile = runDir.resolve("demo.log");
        int code;
        try (DemoLog logs = DemoLog.to(logFile, verbose)) {
            try {
                code = start(work);
            } finally {
                stopInOrder();
            }
            log.info("Demo finished (exit {}); the summary follows on the console", code);
        } finally {
            deleteQuietly(work);
        }
        Path page = runDir.resolve("report.html");
        DemoReport.write(report, page);
        summary.forEach(out::println);
        out.println("Report: " + page.toAbsolutePath());
        out.println("Logs: " + logFile.toAbsolutePath());
        out.flush();
        return code;
    }

    private int start(Path work) throws Exception {
        kafka = new HashMap<>(Map.of("bootstrap.servers", broker(work)));
        String prefix = "demo-" + Long.toString(System.currentTimeMillis() % 100_000, 36);
        Namespace nodesNs = Namespace.of(prefix + "-nodes");
        podsNs = Namespace.of(prefix + "-pods");
        status("Creating namespaces " + nodesNs + " and " + podsNs + " and starting their materializers...");
        try (TopicProvisioner p = new TopicProvisioner(kafka)) {
            p.create(nodesNs, TopicOptions.defaults().withPartitions(2).withChecksumInterval(Duration.ofSeconds(2)));
            p.create(podsNs, TopicOptions.defaults().withPartitions(6).withChecksumInterval(Duration.ofSeconds(2)));
        }
        materializer(nodesNs, work.resolve("m-nodes"));
        materializer(podsNs, work.resolve("m-pods"));
        return simulate(nodesNs);
    }

    // Agents first (while the broker still answers their close), then the materializers, then the broker.
    private void stopInOrder() {
        recorder.stop(agents);
        Shutdown.closeAll("agents", agents);
        Shutdown.closeAll("materializers", materializers);
        if (broker != null) {
            Shutdown.closeAll("broker", List.of(broker));
        }
    }

    private String broker(Path work) {
        if (s.bootstrapServers() != null) {
            return s.bootstrapServers();
        }
        status("Starting an embedded Kafka broker (KRaft)...");
        broker = EmbeddedKafkaCluster.builder()
                .dataDir(work.resolve("kafka"))
                .build()
                .start();
        return broker.bootstrapServers();
    }

    private void materializer(Namespace ns, Path stateDir) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 2000L);
        c.put(MaterializerConfig.STATE_DIR, stateDir.toString());
        Materializer m = new Materializer(new MaterializerConfig(c)).start();
        materializers.add(m);
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
            status("Cluster of " + s.nodes() + " nodes and " + s.pods()
                    + " pods written; starting one agent per node.");
            long start = System.nanoTime();
            recorder = new DemoRecorder(start);
            recorder.start(agents);
            for (int i = 0; i < s.nodes(); i++) {
                agents.add(agent(sim.nodes().get(i), 0, Duration.ZERO, i == s.corruptAgent()));
            }
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
        return new Agent(node, wave, waveName(wave), b.build(), deltas);
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
                    a.view.await(r).thenRun(() -> recorder.readYourWrites((System.nanoTime() - sentAt) / 1000));
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
        status("Churn stopped; checking every agent against the authoritative table...");
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
        Map<String, Map<String, Pod>> table = TableCheck.byNode(kafka, podsNs);
        List<String> wrong = new ArrayList<>();
        for (Agent a : agents) {
            Map<String, Pod> expected = table.getOrDefault(a.node, Map.of());
            if (!TableCheck.waitEqual(a, expected)) {
                wrong.add(a.node + " (view " + a.view.size() + " pods, table " + expected.size() + ")");
            }
        }
        draw(s.duration().toSeconds());
        recorder.stop(agents);
        summary.addAll(DemoSummary.lines(agents, recorder.readYourWrites(), table, changes.get()));
        summary.add(
                wrong.isEmpty()
                        ? "OK: all " + agents.size() + " agents' views equal the authoritative table for their node."
                        : "FAILED: these agents' views differ from the authoritative table: " + wrong);
        report = new DemoReport.Data(
                "Statecast demo: " + s.nodes() + " nodes, " + s.pods() + " pods, " + s.agentsPerWave()
                        + " agents per wave",
                summary,
                recorder.samples(),
                recorder.readiness(agents),
                recorder.readYourWrites());
        if (terminal) {
            out.print("\r\033[2K");
            out.flush();
        }
        return wrong.isEmpty() ? 0 : 1;
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
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

    private String waveName(int wave) {
        return wave == 0
                ? "initial (one per node)"
                : wave == 1
                        ? "scale-up 1 (no splay)"
                        : "scale-up 2 (splay " + s.splay().toSeconds() + " s)";
    }

    // A phase of the run: the status line on a terminal (the next status overwrites it), a line otherwise.
    private void status(String line) {
        if (terminal) {
            out.print("\r\033[2K" + line);
        } else {
            out.println(line);
        }
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
