package io.statecast.bench.internal;

import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
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
 * The materializer's throughput with one slice and without, on the same pre-written changes in two
 * namespaces: half new pods, half moves of those pods to another node (each move a tombstone and a record
 * in the slice). Fresh application ids per round, rounds interleaved (the order alternates), one stream
 * thread; throughput between 10% and 100% committed, as in {@link MaterializerSuite}.
 */
final class SliceThroughput {
    private static final String WITH = "materializer with a by-node slice (256 partitions)";
    private static final String WITHOUT = "materializer without slices";

    private final KafkaFixture kafka;
    private final Report report;
    private final Path work;
    private final int reps;

    SliceThroughput(KafkaFixture kafka, Report report, Path work, int reps) {
        this.kafka = kafka;
        this.report = report;
        this.work = work;
        this.reps = reps;
    }

    void run(int changes) {
        Namespace with = SlicesSuite.provision(kafka, "bench-slices-mat", true);
        Namespace without = SlicesSuite.provision(kafka, "bench-slices-mat", false);
        List<Pod> data = changes(changes);
        for (Namespace ns : List.of(with, without)) {
            try (StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .producerId("bench")
                    .build()) {
                SlicesSuite.write(p, data);
            }
        }
        Interleaved rounds = new Interleaved();
        for (int round = 0; round <= reps; round++) { // round 0 is the warm-up
            Interleaved into = round == 0 ? new Interleaved() : rounds;
            for (Namespace ns : round % 2 == 0 ? List.of(with, without) : List.of(without, with)) {
                double[] t = time(ns, round);
                into.add(ns == with ? WITH : WITHOUT, "changes/s", 0.9 * changes / t[1]);
            }
        }
        for (String c : List.of(WITH, WITHOUT)) {
            report.add(SlicesSuite.SUITE, c, "changes/s (10% to 100%)", "changes/s", rounds.get(c, "changes/s"));
        }
        double ratio = Stats.of(rounds.get(WITH, "changes/s")).median()
                / Stats.of(rounds.get(WITHOUT, "changes/s")).median();
        report.note(String.format(
                "slices, materializer: %d changes (half new pods, half moves to another node); with one slice it runs at "
                        + "%.2fx its throughput without (target >= 0.7x: %s). Per change the slice adds a record (and on a move "
                        + "a tombstone) to the slice topic in the same transaction, and a read and write of the slice store.",
                changes, ratio, ratio >= 0.7 ? "met" : "missed"));
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

    private double[] time(Namespace ns, int round) {
        String appId = "bench-slice-throughput-" + ns.name() + "-" + round;
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.APPLICATION_ID, appId);
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.STATE_DIR, work.resolve(appId).toString());
        c.put("num.stream.threads", 1);
        long t0 = System.nanoTime();
        try (Materializer m = new Materializer(new MaterializerConfig(c)).start()) {
            return MaterializerSuite.awaitCommitted(kafka, appId, ends(ns), t0);
        }
    }

    private Map<TopicPartition, Long> ends(Namespace ns) {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, 6)
                .boxed()
                .collect(Collectors.toMap(i -> new TopicPartition(ns.changes(), i), i -> OffsetSpec.latest()));
        return KafkaFixture.get(kafka.admin().listOffsets(latest).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
