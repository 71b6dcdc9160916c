package io.statecast.bench.internal;

import io.statecast.common.Namespace;
import io.statecast.common.SlicePartitioner;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewConfig;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A herd of node agents starting at once, each start() on a thread of its own ({@link SlicesSuite}): slice views and whole-table views filtered
 * to their node, interleaved rounds; time until all are ready, bytes fetched, and the heap each retains
 * (the herd's live heap over its size, from class histograms: {@link Heap#live()}; the broker and a
 * materializer share the heap). Each round also measures the same number of the slice views' Kafka
 * clients alone, built from the views' own client properties — a consumer that read the same slice and
 * marks partition to their end, and an admin client that answered one call — to tell the clients' share
 * from the view's own structures (its tables, indexes, digests, history and threads: the rest).
 */
final class SliceHerd {
    static final String CLIENTS = "a slice view's two Kafka clients alone (consumer read to the end, admin)";
    private static final String HEAP = "retained heap per agent (live objects)";
    private static final String USED = "retained heap per agent (used heap after GC)";
    private static final String OWN = "own pods' key+value bytes per agent";
    private static final Duration READY = Duration.ofMinutes(10);

    private final KafkaFixture kafka;
    private final Report report;
    private final int agents;
    private final int reps;
    private final BiFunction<String, String, StateView<Pod>> views;

    /** @param views a view of a contender ({@link SlicesSuite#SLICED} or the filtered one) for a node */
    SliceHerd(
            KafkaFixture kafka, Report report, int agents, int reps, BiFunction<String, String, StateView<Pod>> views) {
        this.kafka = kafka;
        this.report = report;
        this.agents = agents;
        this.reps = reps;
        this.views = views;
    }

    void run(Namespace ns, List<String> contenders) {
        Interleaved rounds = new Interleaved();
        for (int round = 0; round <= reps; round++) { // round 0 is the warm-up
            Interleaved into = round == 0 ? new Interleaved() : rounds;
            List<String> order = round % 2 == 0 ? contenders : List.of(contenders.get(1), contenders.get(0));
            for (String contender : order) {
                round(contender, into);
            }
            clients(ns, into);
        }
        String prefix = agents + " agents, ";
        for (String c : contenders) {
            report.add(
                    SlicesSuite.SUITE, prefix + c, "time until all ready", "s", rounds.get(c, "time until all ready"));
            report.add(SlicesSuite.SUITE, prefix + c, "bytes fetched (all agents)", "B", rounds.get(c, "bytes"));
            report.add(SlicesSuite.SUITE, prefix + c, HEAP, "B", rounds.get(c, HEAP));
            report.add(SlicesSuite.SUITE, prefix + c, USED, "B", rounds.get(c, USED));
            report.add(SlicesSuite.SUITE, prefix + c, OWN, "B", rounds.get(c, OWN));
        }
        report.add(SlicesSuite.SUITE, prefix + CLIENTS, HEAP, "B", rounds.get(CLIENTS, HEAP));
        notes(prefix, contenders.get(0), contenders.get(1));
    }

    private void round(String contender, Interleaved into) {
        long used = Heap.used();
        long before = Heap.live();
        List<StateView<Pod>> herd = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            herd.add(views.apply(contender, "node-" + i));
        }
        long t0 = System.nanoTime();
        startAtOnce(herd);
        herd.forEach(v -> v.awaitReady(READY));
        into.add(contender, "time until all ready", (System.nanoTime() - t0) / 1e9);
        into.add(contender, HEAP, (Heap.live() - before) / (double) agents);
        into.add(contender, USED, (Heap.used() - used) / (double) agents);
        into.add(
                contender,
                OWN,
                herd.stream().mapToLong(v -> v.stats().storedBytes()).sum() / (double) agents);
        into.add(
                contender,
                "bytes",
                herd.stream().mapToLong(v -> v.stats().bytesFetched()).sum());
        herd.forEach(StateView::close);
    }

    // Each agent is a process of its own: their start() calls run at the same time, one thread each (a
    // slice view's start() reads the slice's definition before it returns).
    private static void startAtOnce(List<StateView<Pod>> herd) {
        ExecutorService pool = Executors.newFixedThreadPool(herd.size());
        try {
            List<Future<StateView<Pod>>> started = new ArrayList<>();
            herd.forEach(v -> started.add(pool.submit(v::start)));
            for (Future<StateView<Pod>> f : started) {
                KafkaFixture.get(f);
            }
        } finally {
            pool.shutdown();
        }
    }

    private void clients(Namespace ns, Interleaved into) {
        Map<String, Object> props = viewClientProperties(ns);
        long before = Heap.live();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            for (int i = 0; i < agents; i++) {
                open.add(consumerAtEnd(props, ns, "node-" + i));
                Admin admin = KafkaClients.admin(props);
                open.add(admin);
                KafkaFixture.get(admin.describeTopics(List.of(ns.slice(SlicesSuite.SLICE)))
                        .allTopicNames());
            }
            into.add(CLIENTS, HEAP, (Heap.live() - before) / (double) agents);
        } finally {
            open.forEach(SliceHerd::close);
        }
    }

    // What a slice view builds its clients from (the user's settings and the view's defaults over them).
    private Map<String, Object> viewClientProperties(Namespace ns) {
        Map<String, Object> p = new HashMap<>(kafka.clientConfig());
        p.put(ViewConfig.NAMESPACE, ns.name());
        return new ViewConfig(p).consumerProperties();
    }

    private KafkaConsumer<byte[], byte[]> consumerAtEnd(Map<String, Object> props, Namespace ns, String node) {
        int q = SlicePartitioner.partitionOf(node, SlicesSuite.SLICE_PARTITIONS);
        List<TopicPartition> parts = List.of(
                new TopicPartition(ns.slice(SlicesSuite.SLICE), q),
                new TopicPartition(ns.sliceChecksums(SlicesSuite.SLICE), q));
        KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(props, Map.of());
        c.assign(parts);
        c.seekToBeginning(parts);
        TopicReader.readToEnd(c, c.endOffsets(parts), READY, r -> {});
        return c;
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a client: " + e.getMessage(), e);
        }
    }

    private void notes(String prefix, String sliced, String filtered) {
        double bytes = report.median(SlicesSuite.SUITE, prefix + filtered, "bytes fetched (all agents)")
                / report.median(SlicesSuite.SUITE, prefix + sliced, "bytes fetched (all agents)");
        double time = report.median(SlicesSuite.SUITE, prefix + filtered, "time until all ready")
                / report.median(SlicesSuite.SUITE, prefix + sliced, "time until all ready");
        report.note(String.format(
                "slices, herd: %d agents (one per node) starting at once fetched %.0fx fewer bytes as slice views than as "
                        + "whole-table filtered views (target >= 50x: %s) and were all ready %.1fx sooner (target >= 10x: %s).",
                agents, bytes, bytes >= 50 ? "met" : "missed", time, time >= 10 ? "met" : "missed"));
        heapNote(prefix, sliced, filtered);
    }

    // The target is the whole view's; its two parts are said apart, each against the same bound.
    private void heapNote(String prefix, String sliced, String filtered) {
        double heap = report.median(SlicesSuite.SUITE, prefix + sliced, HEAP);
        double own = report.median(SlicesSuite.SUITE, prefix + sliced, OWN);
        double clients = report.median(SlicesSuite.SUITE, prefix + CLIENTS, HEAP);
        double bound = 1.3 * own + 65_536;
        report.note(String.format(
                "slices, heap (live objects, class histograms): with %d agents at once each slice view retained %.0f B for "
                        + "%.0f B of its own pods' keys and values (target <= 1.3 x that + 64 KB = %.0f B: %s; a filtered "
                        + "whole-table view %.0f B). Of it, its two Kafka clients alone (consumer and admin, the view's "
                        + "client settings) retain %.0f B (%s on their own: the consumer's metadata of both %d-partition "
                        + "topics, its fetch buffers and metrics; the admin client), and the view's own structures (tables, "
                        + "indexes, digests, history, threads: the rest) %.0f B (%s).",
                agents,
                heap,
                own,
                bound,
                verdict(heap, bound),
                report.median(SlicesSuite.SUITE, prefix + filtered, HEAP),
                clients,
                verdict(clients, bound),
                SlicesSuite.SLICE_PARTITIONS,
                heap - clients,
                verdict(heap - clients, bound)));
    }

    private static String verdict(double bytes, double bound) {
        return bytes <= bound ? "within the target" : "over the target";
    }
}
