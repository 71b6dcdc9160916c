package io.statecast.bench.internal;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.SlicePartitioner;
import io.statecast.consumer.StateView;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.Change;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Slices: the demo's pods on many nodes with a {@code by-node} slice of 256 partitions, behind a real
 * materializer. One node agent's cold bootstrap (bytes fetched, time to ready, retained heap) as a slice
 * view and as a whole-table view filtered to its node, interleaved; a herd of agents starting at once,
 * both ways, with the heap each retains ({@link SliceHerd}); a slice view's warm restart after 1% of the pods changed (what it reads); and the
 * materializer's throughput with the slice and without ({@link SliceThroughput}).
 */
public final class SlicesSuite {
    static final String SUITE = "slices";
    static final String SLICE = "by-node";
    static final int SLICE_PARTITIONS = 256;
    static final String SLICED = "slice view (by-node, 256 partitions)";
    static final String FILTERED = "whole-table view filtered to its node";
    private static final String AGENT_NODE = "node-7";
    private static final String FETCHED = "bytes fetched";
    private static final String OWN = "own pods' key+value bytes";
    private static final Duration READY = Duration.ofMinutes(10);

    private final KafkaFixture kafka;
    private final Report report;
    private final Path work;
    private final boolean quick;
    private final int reps;
    private final int pods;
    private final int nodes;
    private final int agents;
    private final Profiler profiler;

    public SlicesSuite(KafkaFixture kafka, Report report, Path work, boolean quick, int reps, Profiler profiler) {
        this.kafka = kafka;
        this.report = report;
        this.work = work;
        this.quick = quick;
        this.reps = quick ? 2 : reps;
        this.pods = quick ? 50_000 : 200_000;
        this.nodes = quick ? 250 : 1_000;
        this.agents = quick ? 10 : 50;
        this.profiler = profiler;
    }

    public void run() throws Exception {
        List<Pod> data = pods(pods, nodes);
        Namespace ns = provision(kafka, "bench-slices", SLICE_PARTITIONS);
        try (Materializer m = materializer(ns, "bench-slices-agents");
                StatecastProducer<Pod> p = producer(ns)) {
            awaitTable(ns, write(p, data));
            long stateBytes = keyValueBytes(ns.state());
            report.add(SUITE, "state topic", "key+value bytes", "B", List.of((double) stateBytes));
            report.add(SUITE, "slice topic", "key+value bytes", "B", List.of((double) keyValueBytes(ns.slice(SLICE))));
            agent(ns, stateBytes);
            new SliceHerd(kafka, report, agents, Math.min(3, reps), (c, node) -> agentView(ns, c, node, null))
                    .run(ns, List.of(SLICED, FILTERED));
            warmRestart(ns, p, data);
        }
        throughput();
    }

    /** Only the suite's materializer part (suite {@code slices-materializer}): with the slice and without. */
    public void throughput() {
        new SliceThroughput(kafka, report, work, reps, profiler).run(quick ? 50_000 : 200_000);
    }

    // ---- one agent, cold ----

    private void agent(Namespace ns, long stateBytes) {
        Interleaved rounds = new Interleaved(); // time to ready, retained heap
        Interleaved bytes = new Interleaved(); // bytes fetched, own pods' bytes
        for (int round = 0; round <= reps; round++) { // round 0 is the warm-up
            for (String contender : round % 2 == 0 ? List.of(SLICED, FILTERED) : List.of(FILTERED, SLICED)) {
                coldAgent(
                        ns, contender, round == 0 ? new Interleaved() : rounds, round == 0 ? new Interleaved() : bytes);
            }
        }
        for (String c : List.of(SLICED, FILTERED)) {
            rounds.report(report, SUITE, c, 0);
            for (String f : List.of(FETCHED, OWN)) {
                report.add(SUITE, c, f, "B", bytes.get(c, f));
            }
        }
        agentNotes(stateBytes);
    }

    private void coldAgent(Namespace ns, String contender, Interleaved times, Interleaved bytes) {
        long before = Heap.used();
        long t0 = System.nanoTime();
        StateView<Pod> v = agentView(ns, contender, AGENT_NODE, null).start();
        v.awaitReady(READY);
        times.add(contender, "time to ready", (System.nanoTime() - t0) / 1e9);
        times.add(contender, "retained heap", Heap.used() - before);
        bytes.add(contender, FETCHED, v.stats().bytesFetched());
        bytes.add(contender, OWN, v.stats().storedBytes());
        v.close();
    }

    private StateView<Pod> agentView(Namespace ns, String contender, String node, Path snapshots) {
        StateView.Builder<Pod> b =
                StateView.builder(Pod.class).namespace(ns.name()).kafka(kafka.clientConfig());
        if (snapshots != null) {
            b.snapshots(snapshots, Duration.ofHours(1));
        }
        return (contender.equals(SLICED)
                        ? b.slice(SLICE, node)
                        : b.filter(pod -> node.equals(String.valueOf(pod.getNode()))))
                .build();
    }

    private void agentNotes(long stateBytes) {
        double sliceBytes = report.median(SUITE, SLICED, FETCHED);
        double bound = 2.0 * stateBytes / SLICE_PARTITIONS;
        report.note(String.format(
                "slices: %d pods on %d nodes, by-node with %d partitions; one agent's cold bootstrap fetched %.0f B as a "
                        + "slice view against %.0f B filtering the whole table (state: %d B; target <= 2 x state/%d = %.0f B: "
                        + "%s), and was ready in %.2f s against %.2f s. Alone, its slice view retained %.0f B for %.0f B of "
                        + "its own pods (the filtered whole-table view %.0f B); a single view's heap is within the noise of "
                        + "one measurement: the herd's figures below are the per-view average of %d at once.",
                pods,
                nodes,
                SLICE_PARTITIONS,
                sliceBytes,
                report.median(SUITE, FILTERED, FETCHED),
                stateBytes,
                SLICE_PARTITIONS,
                bound,
                sliceBytes <= bound ? "met" : "missed",
                report.median(SUITE, SLICED, "time to ready"),
                report.median(SUITE, FILTERED, "time to ready"),
                report.median(SUITE, SLICED, "retained heap"),
                report.median(SUITE, SLICED, OWN),
                report.median(SUITE, FILTERED, "retained heap"),
                agents));
    }

    // ---- warm restart ----

    private void warmRestart(Namespace ns, StatecastProducer<Pod> p, List<Pod> data) throws Exception {
        List<Double> read = new ArrayList<>();
        List<Double> written = new ArrayList<>();
        List<Double> sliceRecords = new ArrayList<>();
        for (int round = 1; round <= reps; round++) {
            Path dir = Files.createTempDirectory(work, "slice-snap");
            try (StateView<Pod> first = agentView(ns, SLICED, AGENT_NODE, dir).start()) {
                first.awaitReady(READY);
            } // saves the snapshot
            long before = recordsIn(ns, AGENT_NODE);
            Map<Integer, Receipt> last = write(p, changed(data, round));
            try (StateView<Pod> second = agentView(ns, SLICED, AGENT_NODE, dir).start()) {
                second.awaitReady(READY);
                last.values().forEach(r -> second.await(r, READY));
                if (!second.stats().startMode().startsWith("warm restart")) {
                    throw new IllegalStateException(
                            "no warm restart: " + second.stats().startMode());
                }
                read.add((double) second.stats().partitions().stream()
                        .mapToLong(io.statecast.consumer.PartitionProgress::records)
                        .sum());
                written.add((double) (recordsIn(ns, AGENT_NODE) - before));
                sliceRecords.add((double) before);
            }
        }
        report.add(SUITE, "slice view warm restart (1% of pods changed)", "slice records read", "records", read);
        report.add(
                SUITE, "slice view warm restart (1% of pods changed)", "records its partition got", "records", written);
        report.note(String.format(
                "slices, warm restart: after 1%% of the %d pods changed, a restarted slice view read %.0f slice records, "
                        + "the %.0f its partition received since the snapshot (of %.0f in the partition): only the changes "
                        + "of its partition.",
                pods,
                Stats.of(read).median(),
                Stats.of(written).median(),
                Stats.of(sliceRecords).median()));
    }

    private long recordsIn(Namespace ns, String node) {
        int q = SlicePartitioner.partitionOf(node, SLICE_PARTITIONS);
        return kafka.readToEnd(ns.slice(SLICE)).stream()
                .filter(r -> r.partition() == q)
                .count();
    }

    // 1% of the pods, restarted once more (a new version each).
    private List<Pod> changed(List<Pod> data, int round) {
        List<Pod> out = new ArrayList<>();
        for (int i = round; i < data.size(); i += 100) {
            out.add(Pod.newBuilder(data.get(i))
                    .setRestartCount(data.get(i).getRestartCount() + round)
                    .build());
        }
        return out;
    }

    // ---- data ----

    /** A namespace of 6 partitions, with a {@code by-node} slice of {@code slicePartitions} (0: no slice). */
    static Namespace provision(KafkaFixture kafka, String prefix, int slicePartitions) {
        Namespace ns = Namespace.of(prefix + "-" + kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(6).withHistory(false));
            if (slicePartitions > 0) {
                p.addSlice(ns, new SliceSpec(SLICE, "node", slicePartitions), Pod.getClassSchema());
            }
        }
        return ns;
    }

    /** The demo's pods, scheduled onto {@code nodes} nodes ({@code node-0}…), 5% pending. */
    static List<Pod> pods(int n, int nodes) {
        List<Pod> out = new ArrayList<>(n);
        for (Pod p : PodsMemorySuite.generate(n)) {
            String node = p.getNode() == null
                    ? null
                    : "node-" + Math.floorMod(p.getName().hashCode(), nodes);
            out.add(Pod.newBuilder(p).setNode(node).build());
        }
        return out;
    }

    private StatecastProducer<Pod> producer(Namespace ns) {
        return StatecastProducer.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .producerId("bench")
                .build();
    }

    /** Writes the pods as upserts; returns the last receipt of each partition. */
    static Map<Integer, Receipt> write(StatecastProducer<Pod> p, List<Pod> data) {
        List<CompletableFuture<Receipt>> pending = new ArrayList<>();
        List<Change<Pod>> batch = new ArrayList<>();
        for (Pod pod : data) {
            batch.add(Change.upsert(pod.getNamespace() + "/" + pod.getName(), pod));
            if (batch.size() == 10_000) {
                pending.addAll(p.send(batch));
                batch.clear();
            }
        }
        pending.addAll(p.send(batch));
        p.flush();
        Map<Integer, Receipt> last = new HashMap<>();
        pending.forEach(f -> last.merge(f.join().partition(), f.join(), (a, b) -> a.offset() > b.offset() ? a : b));
        return last;
    }

    private void awaitTable(Namespace ns, Map<Integer, Receipt> last) {
        try (StateView<Pod> whole = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()
                .start()) {
            last.values().forEach(r -> {
                if (!whole.await(r, READY)) {
                    throw new IllegalStateException("the materializer did not reach " + r + " in " + READY);
                }
            });
        }
    }

    private Materializer materializer(Namespace ns, String appId) {
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.APPLICATION_ID, appId);
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.STATE_DIR, work.resolve(appId).toString());
        return new Materializer(new MaterializerConfig(c)).start();
    }

    private long keyValueBytes(String topic) {
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(topic)) {
            bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        }
        return bytes;
    }
}
