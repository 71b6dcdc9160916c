package io.statecast.bench.internal;

import com.netflix.hollow.core.read.engine.HollowBlobReader;
import com.netflix.hollow.core.read.engine.HollowReadStateEngine;
import com.netflix.hollow.core.write.HollowBlobWriter;
import com.netflix.hollow.core.write.HollowWriteStateEngine;
import com.netflix.hollow.core.write.objectmapper.HollowObjectMapper;
import io.statecast.compact.ZstdDictionaryCodec;
import io.statecast.compact.ZstdValueCompression;
import io.statecast.consumer.StateView;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Container;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.KafkaFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Heap per pod for the demo's Pod data set, against its Avro payload bytes: a Statecast view (the
 * payload bytes, compactly stored), a naive {@code HashMap<String, Pod>} of decoded records, and a
 * Netflix Hollow read state engine (deduplicated, bit-packed columns) holding the same pods.
 */
public final class PodsMemorySuite {
    private static final String AGENT_NODE = "node-7";
    private static final String AGENT = "Statecast node agent view (one node's pods)";
    private static final String COMPACT = "zstd + trained dictionary (compact module)";
    private static final String COMPACT_VIEW = "Statecast view, compact storage (zstd, 16 KB dictionary)";
    private static final String CHURN = "Statecast view, compact storage, after churn";
    private static final int CHURN_ROUNDS = 4;
    private static final Duration CHURN_WAIT = Duration.ofMinutes(2);
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private final KafkaFixture kafka;
    private final Report report;
    private final int pods;
    private final int reps;

    public PodsMemorySuite(KafkaFixture kafka, Report report, boolean quick, int reps) {
        this.kafka = kafka;
        this.report = report;
        this.pods = quick ? 50_000 : 200_000;
        this.reps = quick ? 2 : reps;
    }

    public void run() throws Exception {
        List<Pod> data = generate(pods);
        String topic = "bench.pods";
        Data.create(kafka, topic);
        long payloadBytes = 0;
        long keyBytes = 0;
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
        for (Pod p : data) {
            byte[] key = (p.getNamespace() + "/" + p.getName()).getBytes(StandardCharsets.UTF_8);
            byte[] value = PODS.encode(p);
            payloadBytes += value.length;
            keyBytes += key.length;
            batch.add(new ProducerRecord<>(topic, key, value));
            if (batch.size() == 20_000) {
                kafka.produce(topic, batch);
                batch.clear();
            }
        }
        kafka.produce(topic, batch);
        double avroPerPod = payloadBytes / (double) pods;
        report.add("pods-memory", "Avro payload (single-object encoding)", "bytes per pod", "B", List.of(avroPerPod));
        report.add("pods-memory", "key (namespace/name)", "bytes per pod", "B", List.of(keyBytes / (double) pods));

        measure("Statecast view", avroPerPod, () -> view(topic, null), v -> ((StateView<?>) v).close());
        measure(
                COMPACT_VIEW,
                avroPerPod,
                () -> view(topic, ZstdValueCompression.defaults()),
                v -> ((StateView<?>) v).close());
        java.util.function.Predicate<Pod> onAgentNode = p -> AGENT_NODE.equals(String.valueOf(p.getNode()));
        long onNode = data.stream().filter(onAgentNode).count();
        measure(
                AGENT,
                avroPerPod,
                () -> {
                    // One node agent: keeps its node's pods and, to verify against the whole partition's checksums,
                    // a fixed-size hash of every other pod.
                    StateView<Pod> v = StateView.builder(Pod.class)
                            .topic(topic)
                            .kafka(kafka.clientConfig())
                            .filter(onAgentNode)
                            .build()
                            .start();
                    v.awaitReady(Duration.ofMinutes(5));
                    if (v.size() != onNode) {
                        throw new IllegalStateException("agent view holds " + v.size() + " pods, expected " + onNode);
                    }
                    return v;
                },
                v -> ((StateView<?>) v).close());
        measure(
                "naive HashMap<String, Pod> (decoded)",
                avroPerPod,
                () -> {
                    Map<String, Pod> m = new HashMap<>();
                    for (Pod p : data) {
                        m.put(
                                p.getNamespace() + "/" + p.getName(),
                                PODS.decode(PODS.encode(p))); // decoded as a reader would
                    }
                    return m;
                },
                m -> {});
        byte[] blob = hollowBlob(data);
        report.add(
                "pods-memory",
                "Hollow 7.14.23 (read state engine)",
                "snapshot blob bytes per pod",
                "B",
                List.of(blob.length / (double) pods));
        measure(
                "Hollow 7.14.23 (read state engine)",
                avroPerPod,
                () -> {
                    HollowReadStateEngine read = new HollowReadStateEngine();
                    new HollowBlobReader(read).readSnapshot(new ByteArrayInputStream(blob));
                    return read;
                },
                r -> {});
        compact(data, avroPerPod, keyBytes / (double) pods);
        codecSettings(data);
        double statecast = median("Statecast view");
        double hollow = median("Hollow 7.14.23 (read state engine)");
        report.note(String.format(
                "pods-memory: %d pods of %.0f Avro payload bytes each: the Statecast view holds %.2fx the payload "
                        + "(stretch target <= 0.6x: %s), the decoded map %.2fx, Hollow %.2fx. The view stores each payload as written "
                        + "(plus key, version and offsets): it does not deduplicate or dictionary-encode fields the way Hollow does.",
                pods,
                avroPerPod,
                statecast / avroPerPod,
                statecast / avroPerPod <= 0.6 ? "met" : "missed",
                median("naive HashMap<String, Pod> (decoded)") / avroPerPod,
                hollow / avroPerPod));
        report.note(String.format(
                "pods-memory: a node agent's view (the %d pods of %s kept, %d other pods kept as hashes to verify "
                        + "against whole-partition checksums) retains %.1f B per pod of the cluster.",
                onNode, AGENT_NODE, pods - onNode, median(AGENT)));
        // Last: its rounds of updates stay in the topic, and every contender above reads that topic.
        churn(topic, data);
    }

    // A compact view whose every pod is overwritten CHURN_ROUNDS times: the dead bytes that overwrites leave in
    // the shared slabs must be reclaimed, so the retained heap stays flat from round to round. One run, not a
    // median: the rounds are its repetitions.
    private void churn(String topic, List<Pod> data) throws Exception {
        long before = Heap.used();
        long liveBefore = Heap.live();
        StateView<Pod> v = view(topic, ZstdValueCompression.defaults());
        try {
            long applied = v.stats().recordsApplied();
            churnFigures(v, before, liveBefore, "after bootstrap");
            long payload = 0;
            for (int round = 1; round <= CHURN_ROUNDS; round++) {
                payload = 0;
                List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    Pod p = churned(data.get(i), i, round);
                    byte[] value = PODS.encode(p);
                    payload += value.length;
                    batch.add(new ProducerRecord<>(topic, key(p).getBytes(StandardCharsets.UTF_8), value));
                    if (batch.size() == 20_000) {
                        kafka.produce(topic, batch);
                        batch.clear();
                    }
                }
                kafka.produce(topic, batch);
                batch.clear(); // the last records sent must not count as the view's heap
                applied += data.size();
                awaitApplied(v, applied, round);
                verify(v, data, round);
                churnFigures(v, before, liveBefore, "after round " + round);
            }
            double first = median(CHURN, "retained heap per pod after round 1");
            double last = median(CHURN, "retained heap per pod after round " + CHURN_ROUNDS);
            double liveFirst = median(CHURN, "live heap per pod after round 1");
            double liveLast = median(CHURN, "live heap per pod after round " + CHURN_ROUNDS);
            report.note(String.format(
                    "pods-memory, compact storage under churn: %d rounds each overwriting all %d pods with a changed "
                            + "value (restart count, pod IP, start time; %.1f Avro payload bytes per pod in the last "
                            + "round), every update applied and read back: retained heap per pod (used heap after full "
                            + "collections) %.1f B after the bootstrap, %.1f B after round 1, %.1f B after round %d = "
                            + "%.2fx round 1 (within 1.3x: %s); live objects (class histogram) %.1f, %.1f, %.1f B = "
                            + "%.2fx (within 1.3x: %s); stored bytes %.1f -> %.1f B per pod. One run (no median).",
                    CHURN_ROUNDS,
                    pods,
                    payload / (double) pods,
                    median(CHURN, "retained heap per pod after bootstrap"),
                    first,
                    last,
                    CHURN_ROUNDS,
                    last / first,
                    last <= 1.3 * first ? "yes" : "NO",
                    median(CHURN, "live heap per pod after bootstrap"),
                    liveFirst,
                    liveLast,
                    liveLast / liveFirst,
                    liveLast <= 1.3 * liveFirst ? "yes" : "NO",
                    median(CHURN, "stored bytes per pod after bootstrap"),
                    median(CHURN, "stored bytes per pod after round " + CHURN_ROUNDS)));
        } finally {
            v.close();
        }
    }

    // Used heap after full collections counts free space in TLABs and regions (a few MB: tens of bytes per pod
    // at 50,000); the class histogram counts live objects only.
    private void churnFigures(StateView<Pod> v, long before, long liveBefore, String when) {
        report.add(
                "pods-memory",
                CHURN,
                "retained heap per pod " + when,
                "B",
                List.of((Heap.used() - before) / (double) pods));
        report.add(
                "pods-memory",
                CHURN,
                "live heap per pod " + when,
                "B",
                List.of((Heap.live() - liveBefore) / (double) pods));
        report.add(
                "pods-memory",
                CHURN,
                "stored bytes per pod " + when,
                "B",
                List.of(v.stats().storedBytes() / (double) pods));
    }

    private static String key(Pod p) {
        return p.getNamespace() + "/" + p.getName();
    }

    // Round r's pod i, derived from (i, r) alone so that verifying a round holds nothing while heap is measured:
    // a larger restart count (1 to 2 varint bytes), a new pod IP (7 to 15 characters) and a later start.
    static Pod churned(Pod p, int i, int round) {
        Random r = new Random(round * 1_000_003L + i);
        Pod.Builder b = Pod.newBuilder(p).setRestartCount(p.getRestartCount() + round * (1 + r.nextInt(40)));
        if (p.getNode() != null) {
            b.setPodIp("10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256))
                    .setStartedAt(p.getStartedAt().plusSeconds(60L * round + r.nextInt(60)));
        }
        return b.build();
    }

    private void awaitApplied(StateView<Pod> v, long target, int round) throws InterruptedException {
        long deadline = System.nanoTime() + CHURN_WAIT.toNanos();
        while (v.stats().recordsApplied() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        "churn round %d: the view applied %d records of %d within %d s (status %s)",
                        round, v.stats().recordsApplied(), target, CHURN_WAIT.toSeconds(), v.status()));
            }
            Thread.sleep(20);
        }
    }

    // Every pod as round r wrote it: applied counts alone would not see an update lost or applied out of order.
    private void verify(StateView<Pod> v, List<Pod> data, int round) {
        if (v.size() != pods) {
            throw new IllegalStateException(
                    "churn round " + round + ": view holds " + v.size() + " pods, expected " + pods);
        }
        for (int i = 0; i < data.size(); i++) {
            Pod want = churned(data.get(i), i, round);
            Pod got = v.get(key(want));
            if (got == null
                    || got.getRestartCount() != want.getRestartCount()
                    || !String.valueOf(got.getPodIp()).equals(String.valueOf(want.getPodIp()))
                    || !java.util.Objects.equals(got.getStartedAt(), want.getStartedAt())) {
                throw new IllegalStateException(
                        "churn round " + round + ": pod " + key(want) + " reads " + got + ", expected " + want);
            }
        }
    }

    private StateView<Pod> view(String topic, ZstdValueCompression compression) {
        StateView<Pod> v = StateView.builder(Pod.class)
                .topic(topic)
                .kafka(kafka.clientConfig())
                .valueCompression(compression)
                .build()
                .start();
        v.awaitReady(Duration.ofMinutes(5));
        if (v.size() != pods) {
            throw new IllegalStateException("view holds " + v.size() + " pods, expected " + pods);
        }
        return v;
    }

    // The payloads compressed one by one with a dictionary trained on the first 10,000 of them (the codec alone),
    // beside the view that stores its values through it (measured).
    private void compact(List<Pod> data, double avroPerPod, double keyPerPod) {
        List<byte[]> values = data.stream().map(PODS::encode).toList();
        try (ZstdDictionaryCodec codec =
                ZstdDictionaryCodec.train(values.subList(0, Math.min(10_000, values.size())), 16 * 1024, 3)) {
            long compressed = 0;
            for (byte[] v : values) {
                compressed += codec.compress(v).length;
            }
            double perPod = (compressed + codec.dictionary().length) / (double) values.size();
            report.add("pods-memory", COMPACT, "compressed payload bytes per pod", "B", List.of(perPod));
            double viewOverhead = median("Statecast view") - avroPerPod - keyPerPod;
            double measured = median(COMPACT_VIEW);
            report.note(String.format(
                    "pods-memory, compact storage: zstd with a 16 KB dictionary trained on the first 10,000 payloads "
                            + "compresses a pod's %.0f payload bytes to %.1f (dictionary included). The view with compact "
                            + "storage (ZstdValueCompression.defaults()) retains %.0f B per pod = %.2fx the payload "
                            + "(target <= 0.6x: %s; Hollow %.2fx); the view keeping values as read %.0f B, of which %.0f B "
                            + "are its own overhead beyond key (%.0f B) and payload.",
                    avroPerPod,
                    perPod,
                    measured,
                    measured / avroPerPod,
                    measured / avroPerPod <= 0.6 ? "met" : "missed",
                    median("Hollow 7.14.23 (read state engine)") / avroPerPod,
                    median("Statecast view"),
                    viewOverhead,
                    keyPerPod));
            String ready = "time to build (a view: to ready)";
            report.note(String.format(
                    "pods-memory, compact storage's bootstrap: %d pods to ready in %.2f s with compact storage against "
                            + "%.2f s keeping values as read (%.2fx; training the dictionary and compressing every value on the "
                            + "poll thread; medians of %d runs, not interleaved).",
                    pods,
                    median(COMPACT_VIEW, ready),
                    median("Statecast view", ready),
                    median(COMPACT_VIEW, ready) / median("Statecast view", ready),
                    reps));
        }
    }

    // Other dictionary sizes and levels than ZstdValueCompression.defaults(), the codec alone: bytes per pod
    // (dictionary included) and the compression time per value.
    private void codecSettings(List<Pod> data) {
        List<byte[]> values = data.stream().map(PODS::encode).toList();
        int[][] settings = {{16, 3}, {32, 3}, {64, 3}, {110, 3}, {16, 9}, {16, 19}};
        for (int[] s : settings) {
            try (ZstdDictionaryCodec codec =
                    ZstdDictionaryCodec.train(values.subList(0, Math.min(10_000, values.size())), s[0] << 10, s[1])) {
                long compressed = codec.dictionary().length;
                long start = System.nanoTime();
                for (byte[] v : values) {
                    compressed += codec.compress(v).length;
                }
                double nanos = (System.nanoTime() - start) / (double) values.size();
                String contender = "zstd codec alone, " + s[0] + " KB dictionary, level " + s[1];
                report.add(
                        "pods-memory",
                        contender,
                        "compressed payload bytes per pod",
                        "B",
                        List.of(compressed / (double) values.size()));
                report.add("pods-memory", contender, "compression time per value", "ns", List.of(nanos));
            }
        }
    }

    interface Build {
        Object build() throws Exception;
    }

    interface Release {
        void release(Object o) throws Exception;
    }

    private void measure(String contender, double avroPerPod, Build build, Release release) throws Exception {
        release.release(build.build()); // warm-up
        List<Double> perPod = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long before = Heap.used();
            long start = System.nanoTime();
            Object held = build.build();
            seconds.add((System.nanoTime() - start) / 1e9);
            perPod.add((Heap.used() - before) / (double) pods);
            release.release(held);
        }
        report.add("pods-memory", contender, "retained heap per pod", "B", perPod);
        report.add("pods-memory", contender, "time to build (a view: to ready)", "s", seconds);
        report.add(
                "pods-memory",
                contender,
                "heap / Avro payload bytes",
                "x",
                perPod.stream().map(b -> b / avroPerPod).toList());
    }

    private double median(String contender) {
        return median(contender, "retained heap per pod");
    }

    private double median(String contender, String figure) {
        return report.figures().stream()
                .filter(f -> f.suite().equals("pods-memory")
                        && f.contender().equals(contender)
                        && f.figure().equals(figure))
                .findFirst()
                .orElseThrow()
                .stats()
                .median();
    }

    private static byte[] hollowBlob(List<Pod> data) throws Exception {
        HollowWriteStateEngine write = new HollowWriteStateEngine();
        HollowObjectMapper mapper = new HollowObjectMapper(write);
        for (Pod p : data) {
            mapper.add(HollowPod.of(p));
        }
        write.prepareForWrite();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HollowBlobWriter(write).writeSnapshot(out);
        return out.toByteArray();
    }

    /** The same pod as a Hollow-mapped POJO. */
    @SuppressWarnings("unused")
    static final class HollowPod {
        String namespace;
        String name;
        String uid;
        String node;
        String phase;
        Map<String, String> labels;
        List<HollowContainer> containers;
        String podIp;
        int restartCount;
        long createdAt;
        Long startedAt;

        static HollowPod of(Pod p) {
            HollowPod h = new HollowPod();
            h.namespace = p.getNamespace().toString();
            h.name = p.getName().toString();
            h.uid = p.getUid().toString();
            h.node = p.getNode() == null ? null : p.getNode().toString();
            h.phase = p.getPhase().name();
            h.labels = new HashMap<>();
            p.getLabels().forEach((k, v) -> h.labels.put(k.toString(), v.toString()));
            h.containers = new ArrayList<>();
            for (Container c : p.getContainers()) {
                HollowContainer hc = new HollowContainer();
                hc.name = c.getName().toString();
                hc.image = c.getImage().toString();
                hc.cpuMillis = c.getCpuMillis();
                hc.memoryBytes = c.getMemoryBytes();
                hc.ports = new ArrayList<>(c.getPorts());
                h.containers.add(hc);
            }
            h.podIp = p.getPodIp() == null ? null : p.getPodIp().toString();
            h.restartCount = p.getRestartCount();
            h.createdAt = p.getCreatedAt().toEpochMilli();
            h.startedAt = p.getStartedAt() == null ? null : p.getStartedAt().toEpochMilli();
            return h;
        }
    }

    @SuppressWarnings("unused")
    static final class HollowContainer {
        String name;
        String image;
        int cpuMillis;
        long memoryBytes;
        List<Integer> ports;
    }

    // Realistic repetition, as in a cluster: few namespaces, apps, images and nodes; unique names, uids, IPs.
    static List<Pod> generate(int n) {
        Random r = new Random(42);
        List<Pod> out = new ArrayList<>(n);
        long t0 = 1_750_000_000_000L;
        for (int i = 0; i < n; i++) {
            String ns = "team-" + r.nextInt(40);
            String app = "app-" + r.nextInt(400);
            boolean scheduled = r.nextInt(20) != 0;
            int containers = 1 + (r.nextInt(4) == 0 ? 1 : 0);
            List<Container> cs = new ArrayList<>();
            for (int c = 0; c < containers; c++) {
                String cname = c == 0 ? app : "sidecar";
                cs.add(Container.newBuilder()
                        .setName(cname)
                        .setImage("registry.example.com/" + ns + "/" + cname + ":1." + r.nextInt(12))
                        .setCpuMillis(100 * (1 + r.nextInt(8)))
                        .setMemoryBytes((128L << 20) * (1 + r.nextInt(8)))
                        .setPorts(c == 0 ? List.of(8080) : List.of(15001, 15006))
                        .build());
            }
            out.add(Pod.newBuilder()
                    .setNamespace(ns)
                    .setName(app + "-" + Long.toString(r.nextLong() & 0xffffffffffL, 36))
                    .setUid(new java.util.UUID(r.nextLong(), r.nextLong()).toString())
                    .setNode(scheduled ? "node-" + r.nextInt(2000) : null)
                    .setPhase(scheduled ? PodPhase.RUNNING : PodPhase.PENDING)
                    .setLabels(Map.of("app", app, "tier", r.nextBoolean() ? "frontend" : "backend", "team", ns))
                    .setContainers(cs)
                    .setPodIp(scheduled ? "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) : null)
                    .setRestartCount(r.nextInt(10) == 0 ? r.nextInt(5) : 0)
                    .setCreatedAt(Instant.ofEpochMilli(t0 + r.nextInt(86_400_000)))
                    .setStartedAt(scheduled ? Instant.ofEpochMilli(t0 + 86_400_000L + r.nextInt(60_000)) : null)
                    .build());
        }
        return out;
    }
}
