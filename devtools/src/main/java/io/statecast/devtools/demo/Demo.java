package io.statecast.devtools.demo;

import io.statecast.cli.simulate.ClusterSimulator;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.materializer.MaterializerCounts;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.PostgresServer;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo run: broker, topics, two materializers (nodes, pods), the simulator (its pods written with {@code
 * StatecastProducer}, or with {@code --source postgres} kept in a PostgreSQL table and captured), the agents, the
 * scale-up waves, the live view, the final equality check, the summary and the report. The terminal
 * shows the status line, the waves and the summary; the logs go to {@code demo.log} of the run
 * directory (also to the console with {@code --verbose}). Everything stops, agents first, then the
 * materializers, then the broker (then a PostgreSQL the demo started), before the summary is printed: nothing
 * follows it.
 */
public final class Demo {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    private final DemoSettings s;
    private final PrintWriter out;
    private final DemoConsole console;
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
    private Agents fleet;
    private PostgresServer postgres;
    private volatile PodSink sink;

    /**
     * @param runDir where the run leaves its log ({@code demo.log}) and report ({@code report.html})
     * @param verbose whether the logs also go to the console
     */
    public Demo(DemoSettings settings, PrintWriter out, boolean terminal, Path runDir, boolean verbose) {
        this.s = settings;
        this.out = out;
        this.console = new DemoConsole(out, terminal);
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
        if (s.source() == DemoSettings.Source.POSTGRES) {
            postgres = DemoPostgres.obtain(s, console); // first: without a database the demo ends at once
        }
        kafka = new HashMap<>(Map.of("bootstrap.servers", broker(work)));
        String prefix = "demo-" + Long.toString(System.currentTimeMillis() % 100_000, 36);
        Namespace nodesNs = Namespace.of(prefix + "-nodes");
        podsNs = Namespace.of(prefix + "-pods");
        fleet = new Agents(podsNs, (String) kafka.get("bootstrap.servers"), s.seed(), agents, this::seen);
        console.status("Creating namespaces " + nodesNs + " and " + podsNs + " and starting their materializers...");
        try (TopicProvisioner p = new TopicProvisioner(kafka)) {
            p.create(nodesNs, TopicOptions.defaults().withPartitions(2).withChecksumInterval(Duration.ofSeconds(2)));
            p.create(podsNs, TopicOptions.defaults().withPartitions(6).withChecksumInterval(Duration.ofSeconds(2)));
            // Always defined, so that one run compares slice views and whole-table views (wave 3).
            p.addSlice(podsNs, new SliceSpec(Agents.SLICE, "node", Agents.SLICE_PARTITIONS), Pod.getClassSchema());
        }
        materializer(nodesNs, work.resolve("m-nodes"));
        materializer(podsNs, work.resolve("m-pods"));
        return simulate(nodesNs);
    }

    // Agents first (while the broker still answers their close), then the materializers, then the broker.
    private void stopInOrder() {
        if (fleet != null) {
            fleet.close(); // the agents still starting join the list first
        }
        recorder.stop(agents);
        Shutdown.closeAll("agents", agents);
        Shutdown.closeAll("materializers", materializers);
        if (broker != null) {
            Shutdown.closeAll("broker", List.of(broker));
        }
        if (postgres != null) {
            Shutdown.closeAll("database", List.of(postgres)); // the user's server is left running
        }
    }

    // The pods through StatecastProducer, or (--source postgres) in a PostgreSQL table that capture brings over.
    private PodSink podSink() {
        if (postgres == null) {
            return new KafkaPods(kafka, podsNs);
        }
        PostgresPods p = PostgresPods.create(postgres, podsNs, kafka, micros -> recorder.readYourWrites(micros));
        console.status("Pods kept in PostgreSQL (" + postgres.jdbcUrl() + ", table " + p.table() + ") and captured"
                + " into " + podsNs.changes() + "...");
        return p;
    }

    private void seen(String key, Pod pod) {
        PodSink p = sink;
        if (p != null) {
            p.seen(key, pod);
        }
    }

    private String broker(Path work) {
        if (s.bootstrapServers() != null) {
            return s.bootstrapServers();
        }
        console.status("Starting an embedded Kafka broker (KRaft)...");
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

    // The initial agents bootstrap from the table of the cluster just written, not from a state topic the
    // pods' materializer has only begun to fill (they would then fetch it all as deltas).
    private void awaitMaterialized(long pods) {
        Materializer m = materializers.get(materializers.size() - 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (processed(m.counts()) < pods && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    private static long processed(MaterializerCounts c) {
        return c.accepted()
                + c.noops()
                + c.replays()
                + c.rejected().values().stream().mapToLong(Long::longValue).sum();
    }

    private int simulate(Namespace nodesNs) throws Exception {
        ClusterSimulator sim = new ClusterSimulator(s.seed());
        try (StatecastProducer<Node> nodes = StatecastProducer.builder(Node.class)
                        .namespace(nodesNs.name())
                        .kafka(kafka)
                        .producerId("simulator")
                        .build();
                PodSink pods = podSink()) {
            sink = pods;
            for (int i = 0; i < s.nodes(); i++) {
                write(nodes, pods, sim.joinNode());
            }
            for (int i = 0; i < s.pods(); i++) {
                write(nodes, pods, sim.createPod(i % 10 != 0));
            }
            pods.flush();
            awaitMaterialized(s.pods());
            console.status("Cluster of " + s.nodes() + " nodes and " + s.pods() + " pods written; starting one agent"
                    + " per node (" + Wave.kind(s.slices()) + ").");
            long start = System.nanoTime();
            recorder = new DemoRecorder(start);
            recorder.start(agents);
            Map<Integer, Receipt> last = new HashMap<>();
            Wave initial = new Wave(0, Duration.ZERO, s.slices());
            for (int i = 0; i < s.nodes(); i++) {
                fleet.start(sim.nodes().get(i), initial, i == s.corruptAgent());
            }
            churn(start, sim, nodes, pods, last);
            pods.flush();
            pods.lastChanges().forEach(r -> last.merge(r.partition(), r, (x, y) -> x.offset() >= y.offset() ? x : y));
            return finish(last, pods, s.corruptAgent() < 0 ? null : sim.nodes().get(s.corruptAgent()));
        }
    }

    // The churn at --rate for --duration; the scale-up waves at a quarter, half and three quarters of it.
    private void churn(
            long start, ClusterSimulator sim, StatecastProducer<Node> nodes, PodSink pods, Map<Integer, Receipt> last) {
        List<Wave> waves = List.of(
                new Wave(1, Duration.ZERO, s.slices()),
                new Wave(2, s.splay(), s.slices()),
                new Wave(3, Duration.ZERO, !s.slices()));
        long total = s.duration().toNanos();
        int started = 0;
        long nextDraw = 0;
        long sent = 0;
        for (long elapsed = 0; elapsed < total; elapsed = System.nanoTime() - start) {
            if (started < waves.size() && elapsed > total * (started + 1) / (waves.size() + 1)) {
                scaleUp(waves.get(started++), sim, nodes, pods);
            }
            long due = elapsed * s.rate() / 1_000_000_000L;
            for (; sent < due; sent++) {
                ClusterSimulator.Step step = sim.next();
                track(write(nodes, pods, step), step, sent, last);
            }
            if (elapsed >= nextDraw) {
                console.counters(elapsed / 1e9, changes.get(), agents);
                nextDraw = elapsed + (console.terminal() ? 1_000_000_000L : 5_000_000_000L);
            }
            sleep(5);
        }
    }

    private void scaleUp(Wave wave, ClusterSimulator sim, StatecastProducer<Node> nodes, PodSink pods) {
        console.say(String.format(
                "Scale-up wave %d: %d nodes join and their agents start at once%s, %s.",
                wave.number(),
                s.agentsPerWave(),
                wave.splay().isZero()
                        ? ", without splay"
                        : ", with a " + wave.splay().toSeconds() + " s start-up splay",
                wave.sliced()
                        ? "each reading its node's partition of the by-node slice"
                        : "each reading the whole pods table and keeping its node's pods"
                                + (s.slices() ? " (the way before slices, to compare)" : "")));
        for (int i = 0; i < s.agentsPerWave(); i++) {
            write(nodes, pods, sim.joinNode());
            fleet.start(sim.nodes().get(sim.nodes().size() - 1), wave, false);
        }
    }

    private CompletableFuture<Receipt> write(StatecastProducer<Node> nodes, PodSink pods, ClusterSimulator.Step step) {
        changes.incrementAndGet();
        if (step.node() != null) {
            return nodes.upsert(step.key(), step.node());
        }
        return step.delete() ? pods.delete(step.key()) : pods.upsert(step.key(), step.pod());
    }

    // Read-your-writes: every 25th change of a scheduled pod, time send -> visible in its node's agent.
    private void track(
            CompletableFuture<Receipt> receipt, ClusterSimulator.Step step, long n, Map<Integer, Receipt> last) {
        long sentAt = System.nanoTime();
        Agent a = n % 25 == 0 && step.pod() != null && step.pod().getNode() != null
                ? fleet.of(step.pod().getNode())
                : null;
        receipt.thenAccept(r -> {
            if (r == null) {
                return; // through PostgreSQL: no receipt, the sink times commit -> visible itself
            }
            synchronized (last) {
                last.merge(r.partition(), r, (x, y) -> x.offset() >= y.offset() ? x : y);
            }
            if (a != null && a.ready()) {
                a.view.await(r).thenRun(() -> recorder.readYourWrites((System.nanoTime() - sentAt) / 1000));
            }
        });
    }

    private void corruptIfAsked(String node) {
        if (node == null) {
            return;
        }
        Agent a = fleet.of(node);
        a.view.awaitReady(Duration.ofSeconds(60));
        String victim = a.view.snapshot().keySet().stream().findFirst().orElse(null);
        if (victim != null) {
            ViewTestSeams.injectDivergence(a.view, "DROP_ENTRY", victim);
            console.say("Test hook: dropped " + victim + " from the view of agent " + a.node + " (self-heal off).");
        }
    }

    private int finish(Map<Integer, Receipt> last, PodSink pods, String corrupt) throws TimeoutException {
        console.status("Churn stopped; checking every agent against the authoritative table...");
        fleet.awaitStarted(Duration.ofSeconds(60));
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
        corruptIfAsked(corrupt);
        Map<String, Map<String, Pod>> table = pods.byNode();
        List<String> wrong = new ArrayList<>();
        for (Agent a : agents) {
            Map<String, Pod> expected = table.getOrDefault(a.node, Map.of());
            if (!TableCheck.waitEqual(a, expected)) {
                wrong.add(a.node + " (view " + a.view.size() + " pods, table " + expected.size() + ")");
            }
        }
        console.counters(s.duration().toSeconds(), changes.get(), agents);
        recorder.stop(agents);
        summary.addAll(DemoSummary.lines(agents, recorder.readYourWrites(), pods.latency(), table, changes.get()));
        summary.add(
                wrong.isEmpty() ? ok() : "FAILED: these agents' views differ from the authoritative table: " + wrong);
        report = new DemoReport.Data(
                "Statecast demo: " + s.nodes() + " nodes, " + s.pods() + " pods, " + s.agentsPerWave()
                        + " agents per wave",
                summary,
                recorder.samples(),
                recorder.readiness(agents),
                recorder.readYourWrites(),
                pods.latency());
        console.clear();
        return wrong.isEmpty() ? 0 : 1;
    }

    private String ok() {
        long sliced = agents.stream().filter(Agent::sliced).count();
        return "OK: all " + agents.size() + " agents' views equal the authoritative table for their node (" + sliced
                + " slice views, " + (agents.size() - sliced) + " whole-table views).";
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
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
