package io.statecast.bench.internal;

import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The materializer's throughput with one slice and without, on the same pre-written changes in fresh
 * namespaces: half new pods, half moves of those pods to another node (each move a tombstone and a record
 * in the slice). A fresh namespace and application id per run, rounds interleaved (the order rotates),
 * one stream thread; throughput between 10% and 100% committed, as in {@link MaterializerSuite}. At the
 * default commit interval (100 ms) with a slice of 256 partitions (the suite's), of 64 (the default of
 * {@code --slice}) and none; at 1 s with 256 and none. Kafka's cost is per partition per transaction.
 */
final class SliceThroughput {
    private static final String WITHOUT = "materializer without slices";
    private static final String CHANGES_PER_S = "changes/s (10% to 100%)";
    private static final String CPU_PER_CHANGE = "process CPU per change (start to done)";

    private final KafkaFixture kafka;
    private final Report report;
    private final Path work;
    private final int reps;
    private final Profiler profiler;

    SliceThroughput(KafkaFixture kafka, Report report, Path work, int reps, Profiler profiler) {
        this.kafka = kafka;
        this.report = report;
        this.work = work;
        this.reps = reps;
        this.profiler = profiler;
    }

    void run(int changes) {
        List<Pod> data = changes(changes);
        // The default commit interval, and a longer one: the slice's cost is per transaction and partition.
        pair(data, 100, reps, List.of(SlicesSuite.SLICE_PARTITIONS, 64, 0));
        pair(data, 1_000, Math.min(3, reps), List.of(SlicesSuite.SLICE_PARTITIONS, 0));
        if (profiler.enabled()) { // one more run of each, profiled, outside the measured ones
            for (int slice : List.of(SlicesSuite.SLICE_PARTITIONS, 0)) {
                Namespace ns = written(slice, data);
                profiler.start("slices " + contender(slice, 100));
                time(ns, reps + 1, 100);
                profiler.finish();
            }
        }
    }

    private static String contender(int slicePartitions, long commitMs) {
        return (slicePartitions > 0
                        ? "materializer with a by-node slice (" + slicePartitions + " partitions)"
                        : WITHOUT)
                + ", commit.interval.ms " + commitMs;
    }

    // Each round runs every contender once, the order rotated per round.
    private void pair(List<Pod> data, long commitMs, int rounds, List<Integer> slices) {
        Interleaved measured = new Interleaved();
        for (int round = 0; round <= rounds; round++) { // round 0 is the warm-up
            Interleaved into = round == 0 ? new Interleaved() : measured;
            for (int i = 0; i < slices.size(); i++) {
                int slice = slices.get((round + i) % slices.size());
                Run r = time(written(slice, data), round, commitMs);
                String c = contender(slice, commitMs);
                into.add(c, CHANGES_PER_S, 0.9 * data.size() / r.tenthToDone());
                into.add(c, CPU_PER_CHANGE, r.cpuSeconds() * 1e6 / data.size());
            }
        }
        for (int slice : slices) {
            String c = contender(slice, commitMs);
            report.add(SlicesSuite.SUITE, c, CHANGES_PER_S, "changes/s", measured.get(c, CHANGES_PER_S));
            report.add(SlicesSuite.SUITE, c, CPU_PER_CHANGE, "us", measured.get(c, CPU_PER_CHANGE));
        }
        for (int slice : slices) {
            if (slice > 0) {
                note(measured, data.size(), commitMs, slice);
            }
        }
    }

    private void note(Interleaved measured, int changes, long commitMs, int slicePartitions) {
        String with = contender(slicePartitions, commitMs);
        String without = contender(0, commitMs);
        double ratio = Stats.of(measured.get(with, CHANGES_PER_S)).median()
                / Stats.of(measured.get(without, CHANGES_PER_S)).median();
        double cpu = Stats.of(measured.get(with, CPU_PER_CHANGE)).median()
                / Stats.of(measured.get(without, CPU_PER_CHANGE)).median();
        report.note(String.format(
                "slices, materializer (commit.interval.ms %d%s): %d changes (half new pods, half moves to another node); "
                        + "with one slice of %d partitions it runs at %.2fx its throughput without (target >= 0.7x: %s), and the whole "
                        + "process (broker included) spends %.2fx the CPU per change of the run without. Per change the "
                        + "slice adds a record (and on a move a tombstone) to the slice topic in the same transaction, "
                        + "and each transaction writes a commit marker to every slice partition it touched.",
                commitMs,
                commitMs == 100 ? ", the default" : "",
                changes,
                slicePartitions,
                ratio,
                ratio >= 0.7 ? "met" : "missed",
                cpu));
    }

    // A fresh namespace per run, holding the changes: a new application id over a populated state log would
    // start from that log instead of doing the work again.
    private Namespace written(int slice, List<Pod> data) {
        Namespace ns = SlicesSuite.provision(kafka, "bench-slices-mat", slice);
        try (StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .producerId("bench")
                .build()) {
            SlicesSuite.write(p, data);
        }
        return ns;
    }

    // Half new pods, then each of them moved to another node.
    private static List<Pod> changes(int n) {
        List<Pod> created = SlicesSuite.pods(n / 2, 1_000);
        List<Pod> out = new ArrayList<>(created);
        for (Pod p : created) {
            String node = p.getNode() == null
                    ? "node-0"
                    : "node-" + ((Integer.parseInt(p.getNode().substring(5)) + 1) % 1_000);
            out.add(Pod.newBuilder(p).setNode(node).build());
        }
        return out;
    }

    /** Seconds from 10% committed to done, and the process's CPU seconds from start to done. */
    private record Run(double tenthToDone, double cpuSeconds) {}

    private Run time(Namespace ns, int round, long commitMs) {
        String appId = "bench-slice-throughput-" + ns.name() + "-" + round;
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.APPLICATION_ID, appId);
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.STATE_DIR, work.resolve(appId).toString());
        c.put(MaterializerConfig.COMMIT_INTERVAL_MS, commitMs);
        c.put("num.stream.threads", 1);
        Map<TopicPartition, Long> ends = ends(ns);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (Materializer m = new Materializer(new MaterializerConfig(c)).start()) {
            double[] t = MaterializerSuite.awaitCommitted(kafka, appId, ends, t0);
            return new Run(t[1], (processCpuNanos() - cpu0) / 1e9);
        }
    }

    // This JVM's CPU time: the materializer, the broker it writes to and the harness, all threads.
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private Map<TopicPartition, Long> ends(Namespace ns) {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, 6)
                .boxed()
                .collect(Collectors.toMap(i -> new TopicPartition(ns.changes(), i), i -> OffsetSpec.latest()));
        return KafkaFixture.get(kafka.admin().listOffsets(latest).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
