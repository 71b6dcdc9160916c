package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.RateLimiter;
import io.statecast.common.Digest;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastHeaders;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.StateRecord;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.ReliabilityDoc;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos (-Preliability): a 3-broker cluster (RF 3, min.insync.replicas 2), the materializer in a
 * separate JVM killed with SIGKILL three times, one broker stopped and restarted, five view restarts
 * (three warm), and 200,000 random upserts, deletes and compare-and-sets from two producers. An
 * independent model, built from the producers' receipts (the order of {@code changes}) and the
 * documented rules, must equal the state log, every view, the history (gapless versions, each
 * accepted change exactly once) and the rejections (each refused change exactly once, right reason).
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ChaosReliabilityIT {
    private static final int PARTITIONS = 6;
    private static final int OPERATIONS_PER_PRODUCER = 100_000;
    private static final int KEYS = 20_000;
    private static final int RATE_PER_PRODUCER = 2_000; // changes/s, so that the faults land mid-stream
    private static final AvroCodec<Node> NODES = AvroCodec.specific(Node.class, SchemaResolver.builtIn());

    /** One change as sent: what the model needs, and the receipt that says where it landed. */
    record Sent(Op op, String key, byte[] payload, Long expected, CompletableFuture<Receipt> receipt) {}

    /** What the model says of one change of {@code changes}. */
    record Outcome(String key, Op op, byte[] payload, long version, RejectionReason rejected, boolean noop) {}

    @Test
    void viewsTableAndModelAgreeThroughKillsAndRestarts(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder()
                .brokers(3)
                .dataDir(dir.resolve("kafka"))
                .brokerConfig("min.insync.replicas", "2")
                .brokerConfig("default.replication.factor", "3")
                .build()
                .start();
        try (KafkaFixture kafka = KafkaFixture.of(cluster)) {
            Namespace ns = Namespace.of("chaos");
            try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
                p.create(
                        ns,
                        TopicOptions.defaults()
                                .withPartitions(PARTITIONS)
                                .withReplicationFactor((short) 3)
                                .withChecksumInterval(Duration.ofSeconds(1))
                                .withHistory(true));
            }
            MaterializerProcess materializer = new MaterializerProcess(kafka.bootstrapServers(), ns, dir);
            try {
                run(kafka, cluster, ns, dir, materializer, t0);
            } finally {
                materializer.destroy(); // never leave the other JVM behind, whatever failed
            }
        }
    }

    private void run(
            KafkaFixture kafka,
            EmbeddedKafkaCluster cluster,
            Namespace ns,
            Path dir,
            MaterializerProcess materializer,
            long t0)
            throws Exception {
        materializer.start(dir.resolve("streams-a"));
        materializer.awaitReady();

        Views views = new Views(kafka, ns, dir);
        for (int i = 0; i < Views.COUNT; i++) {
            views.open(i, false);
        }
        AtomicInteger progress = new AtomicInteger();
        List<Sent> sentA = new ArrayList<>();
        List<Sent> sentB = new ArrayList<>();
        Thread a = writer(kafka, ns, "chaos-a", 1, sentA, progress);
        Thread b = writer(kafka, ns, "chaos-b", 2, sentB, progress);
        a.start();
        b.start();

        // The faults, at fractions of the operations sent.
        int total = 2 * OPERATIONS_PER_PRODUCER;
        int kills = 0;
        int brokerKills = 0;
        int viewRestarts = 0;
        int warmRestarts = 0;
        atFraction(progress, total, 0.12);
        materializer.kill(); // SIGKILL; restart on the same state directory
        kills++;
        materializer.start(dir.resolve("streams-a"));
        atFraction(progress, total, 0.25);
        views.reopen(0); // cold
        viewRestarts++;
        atFraction(progress, total, 0.35);
        materializer.kill(); // SIGKILL; restart on an empty state directory: stores restored from changelogs
        kills++;
        materializer.start(dir.resolve("streams-b"));
        atFraction(progress, total, 0.45);
        cluster.stopBroker(1);
        brokerKills++;
        views.reopen(1); // warm, while a broker is down
        viewRestarts++;
        warmRestarts++;
        atFraction(progress, total, 0.58);
        cluster.startBroker(1);
        atFraction(progress, total, 0.68);
        materializer.kill();
        kills++;
        materializer.start(dir.resolve("streams-b"));
        atFraction(progress, total, 0.75);
        views.reopen(2); // warm
        viewRestarts++;
        warmRestarts++;
        atFraction(progress, total, 0.80);
        ViewTestSeams.injectDivergence(
                views.view(1), "ADD_FOREIGN_ENTRY", "foreign-entry"); // verification must heal it
        atFraction(progress, total, 0.86);
        views.reopen(0); // cold
        viewRestarts++;
        atFraction(progress, total, 0.94);
        views.reopen(2); // warm
        viewRestarts++;
        warmRestarts++;
        a.join();
        b.join();

        // Every send acknowledged: the model is built from receipts only.
        int failedSends = 0;
        List<Sent> all = new ArrayList<>(sentA);
        all.addAll(sentB);
        for (Sent s : all) {
            try {
                s.receipt().get(3, TimeUnit.MINUTES);
            } catch (Exception e) {
                failedSends++;
            }
        }
        assertEquals(0, failedSends, "sends that were not acknowledged (the model cannot know their fate)");
        Map<Long, Outcome>[] model = model(all);
        Map<String, Outcome> live = liveTable(model);

        // Wait until every view has seen the end of every partition, then ask for fresh checksums.
        Map<Integer, Receipt> last = new HashMap<>();
        for (Sent s : all) {
            Receipt r = s.receipt().join();
            last.merge(r.partition(), r, (x, y) -> x.offset() >= y.offset() ? x : y);
        }
        for (int i = 0; i < Views.COUNT; i++) {
            for (Receipt r : last.values()) {
                assertTrue(views.view(i).await(r, Duration.ofMinutes(5)), "view " + i + " reached " + r);
            }
        }
        awaitChecksumsCovering(kafka, ns, last, Duration.ofMinutes(2));
        ViewStats.Checks[] before = new ViewStats.Checks[Views.COUNT];
        for (int i = 0; i < Views.COUNT; i++) {
            before[i] = views.view(i).stats().checks();
        }
        materializer.requestChecksums();
        for (int i = 0; i < Views.COUNT; i++) {
            int v = i;
            Conditions.waitFor(
                    "view " + i + " verifies the checksums after the last fault",
                    Duration.ofMinutes(2),
                    () -> views.view(v).stats().checks().verified() >= before[v].verified() + PARTITIONS);
            ViewStats.Checks after = views.view(i).stats().checks();
            assertEquals(before[i].mismatched(), after.mismatched(), "view " + i + ": no mismatch once recovered");
            assertEquals(
                    before[i].notComparable(),
                    after.notComparable(),
                    "view " + i + ": every final checksum comparable");
        }

        // The state log = the model; its checksums = the digest of the log.
        List<ConsumerRecord<byte[], byte[]>> state = kafka.readToEnd(ns.state());
        Map<String, ConsumerRecord<byte[], byte[]>> table = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : state) {
            table.put(new String(r.key(), StandardCharsets.UTF_8), r);
        }
        table.values().removeIf(r -> r.value() == null);
        assertEquals(live.keySet(), table.keySet(), "live keys of the state log vs the model");
        for (Map.Entry<String, Outcome> e : live.entrySet()) {
            ConsumerRecord<byte[], byte[]> r = table.get(e.getKey());
            StateRecord rec = Envelopes.stateRecord().decode(r.value());
            assertEquals(e.getValue().version(), rec.getVersion(), "version of " + e.getKey());
            assertTrue(Arrays.equals(e.getValue().payload(), bytes(rec.getPayload())), "payload of " + e.getKey());
        }
        checkChecksumsAgainstLog(kafka, ns, state, last);

        // History: each accepted change exactly once, versions 1..n per key; rejections: each refused change once.
        int[] dupAndGaps = checkHistory(kafka.readToEnd(ns.history()), model);
        int rejectionDuplicates = checkRejections(kafka.readToEnd(ns.rejections()), model);

        // Every view = the model (the injected foreign entry healed away).
        Map<String, Node> expected = new HashMap<>();
        live.forEach((k, o) -> expected.put(k, NODES.decode(o.payload())));
        for (int i = 0; i < Views.COUNT; i++) {
            assertEquals(expected, views.view(i).snapshot(), "view " + i + " vs the model");
        }
        ViewStats.Checks checks = views.totalChecks();
        assertTrue(checks.heals() >= 1, "the injected divergence was healed: " + checks);
        assertEquals(1, checks.mismatched(), "mismatches: the injected one only: " + checks);

        long accepted = Arrays.stream(model)
                .mapToLong(m -> m.values().stream()
                        .filter(o -> o.rejected() == null && !o.noop())
                        .count())
                .sum();
        long rejected = Arrays.stream(model)
                .mapToLong(m ->
                        m.values().stream().filter(o -> o.rejected() != null).count())
                .sum();
        long noops = Arrays.stream(model)
                .mapToLong(m -> m.values().stream().filter(Outcome::noop).count())
                .sum();
        long cas = all.stream().filter(s -> s.expected() != null).count();
        views.closeAll();
        materializer.stop();
        ReliabilityDoc.append(String.format(
                "chaos: %d operations from 2 producers (%d with compare-and-set; model: %d accepted,"
                        + " %d refused, %d no-ops); 3 brokers RF 3 minISR 2; materializer SIGKILLs %d, broker stops+restarts %d (in-process shutdown, data kept),"
                        + " view restarts %d (%d warm); lost 0, duplicates %d, version gaps %d; checksum mismatches %d (1 injected),"
                        + " heals %d, checksums verified %d, not comparable %d; %d live keys equal in %d views, state log and model; %.0f s",
                all.size(),
                cas,
                accepted,
                rejected,
                noops,
                kills,
                brokerKills,
                viewRestarts,
                warmRestarts,
                dupAndGaps[0] + rejectionDuplicates,
                dupAndGaps[1],
                checks.mismatched(),
                checks.heals(),
                checks.verified(),
                checks.notComparable(),
                live.size(),
                Views.COUNT,
                (System.nanoTime() - t0) / 1e9));
    }

    // ---- the writers ----

    private static Thread writer(
            KafkaFixture kafka, Namespace ns, String id, long seed, List<Sent> sent, AtomicInteger progress) {
        Thread t = new Thread(
                () -> {
                    Random r = new Random(seed);
                    Map<String, Long> guess =
                            new HashMap<>(); // this producer's own idea of each version: often wrong, on purpose
                    Semaphore inFlight = new Semaphore(5_000);
                    try (StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                            .namespace(ns.name())
                            .kafka(kafka.clientConfig())
                            .producerId(id)
                            .build()) {
                        RateLimiter pace = RateLimiter.create(RATE_PER_PRODUCER);
                        for (int i = 0; i < OPERATIONS_PER_PRODUCER; i++) {
                            pace.acquire();
                            String key = "node-" + r.nextInt(KEYS);
                            int dice = r.nextInt(100);
                            long g = guess.getOrDefault(key, 0L);
                            CompletableFuture<Receipt> receipt;
                            Sent s;
                            inFlight.acquire();
                            if (dice < 55) { // upsert; one payload in four repeats the current one (a no-op)
                                Node n = node(key, r.nextInt(4));
                                receipt = p.upsert(key, n);
                                s = new Sent(Op.UPSERT, key, NODES.encode(n), null, receipt);
                                guess.put(key, g + 1);
                            } else if (dice < 67) { // delete, sometimes of an absent key
                                receipt = p.delete(key);
                                s = new Sent(Op.DELETE, key, null, null, receipt);
                                guess.put(key, g + 1);
                            } else if (dice < 92) { // compare-and-set upsert
                                Node n = node(key, r.nextInt(4));
                                long expected = r.nextInt(4) == 0 ? g + r.nextInt(3) - 1 : g;
                                receipt = p.upsert(key, n, Math.max(0, expected));
                                s = new Sent(Op.UPSERT, key, NODES.encode(n), Math.max(0, expected), receipt);
                                guess.put(key, g + 1);
                            } else { // compare-and-set delete
                                receipt = p.delete(key, g);
                                s = new Sent(Op.DELETE, key, null, g, receipt);
                                guess.put(key, g + 1);
                            }
                            receipt.whenComplete((x, e) -> inFlight.release());
                            sent.add(s);
                            progress.incrementAndGet();
                        }
                        p.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "chaos-writer-" + id);
        t.setDaemon(true);
        return t;
    }

    private static Node node(String key, int variant) {
        return Node.newBuilder()
                .setName(key)
                .setZone("zone-" + variant)
                .setCpuMillis(1000 * (variant + 1))
                .setMemoryBytes(1L << 34)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    // ---- the independent model: the documented rules, applied in the order of changes ----

    @SuppressWarnings("unchecked")
    static Map<Long, Outcome>[] model(List<Sent> all) {
        Map<Long, Sent>[] byOffset = new TreeMap[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            byOffset[p] = new TreeMap<>();
        }
        for (Sent s : all) {
            Receipt r = s.receipt().join();
            byOffset[r.partition()].put(r.offset(), s);
        }
        Map<Long, Outcome>[] out = new Map[PARTITIONS];
        Map<String, Long> version = new HashMap<>(); // kept across deletes
        Map<String, byte[]> payload = new HashMap<>(); // live keys only
        for (int p = 0; p < PARTITIONS; p++) {
            out[p] = new TreeMap<>();
            for (Map.Entry<Long, Sent> e : byOffset[p].entrySet()) {
                Sent s = e.getValue();
                long v = version.getOrDefault(s.key(), 0L);
                boolean exists = payload.containsKey(s.key());
                RejectionReason refused = null;
                if (s.op() == Op.DELETE && !exists) {
                    refused = RejectionReason.DELETE_OF_ABSENT_KEY;
                } else if (s.expected() != null && s.expected() != (exists ? v : 0)) {
                    refused = RejectionReason.VERSION_CONFLICT;
                }
                if (refused != null) {
                    out[p].put(e.getKey(), new Outcome(s.key(), s.op(), s.payload(), v, refused, false));
                } else if (s.op() == Op.UPSERT && exists && Arrays.equals(payload.get(s.key()), s.payload())) {
                    out[p].put(e.getKey(), new Outcome(s.key(), s.op(), s.payload(), v, null, true));
                } else {
                    version.put(s.key(), v + 1);
                    if (s.op() == Op.DELETE) {
                        payload.remove(s.key());
                    } else {
                        payload.put(s.key(), s.payload());
                    }
                    out[p].put(e.getKey(), new Outcome(s.key(), s.op(), s.payload(), v + 1, null, false));
                }
            }
        }
        return out;
    }

    private static Map<String, Outcome> liveTable(Map<Long, Outcome>[] model) {
        Map<String, Outcome> live = new HashMap<>();
        for (Map<Long, Outcome> m : model) {
            for (Outcome o : m.values()) { // offset order within a partition; a key lives in one partition
                if (o.rejected() == null && !o.noop()) {
                    if (o.op() == Op.DELETE) {
                        live.remove(o.key());
                    } else {
                        live.put(o.key(), o);
                    }
                }
            }
        }
        return live;
    }

    // History: every record is an accepted change of the model (same key, op, version, payload), each at
    // most once; every accepted change is there; per key the versions run 1, 2, 3… Returns {duplicates, gaps}.
    private static int[] checkHistory(List<ConsumerRecord<byte[], byte[]>> history, Map<Long, Outcome>[] model) {
        int duplicates = 0;
        int gaps = 0;
        Map<String, Long> lastVersion = new HashMap<>();
        Map<Integer, java.util.Set<Long>> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : history) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            long version = StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1);
            long src = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
            if (!seen.computeIfAbsent(r.partition(), x -> new java.util.HashSet<>())
                    .add(src)) {
                duplicates++;
                continue;
            }
            Outcome o = model[r.partition()].get(src);
            assertTrue(
                    o != null && o.rejected() == null && !o.noop(),
                    "history holds a change the model did not accept: " + key + " at " + r.partition() + "/" + src
                            + " → " + o);
            assertEquals(o.key(), key, "key of history record " + r.partition() + "/" + src);
            assertEquals(o.version(), version, "version of " + key + " at " + r.partition() + "/" + src);
            if (o.op() == Op.DELETE) {
                assertEquals(null, r.value(), "a delete is a tombstone: " + key);
            } else {
                assertTrue(
                        Arrays.equals(
                                o.payload(),
                                bytes(Envelopes.stateRecord().decode(r.value()).getPayload())),
                        "payload of " + key);
            }
            if (version != lastVersion.getOrDefault(key, 0L) + 1) {
                gaps++;
            }
            lastVersion.put(key, version);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            java.util.Set<Long> got = seen.getOrDefault(p, java.util.Set.of());
            for (Map.Entry<Long, Outcome> e : model[p].entrySet()) {
                if (e.getValue().rejected() == null && !e.getValue().noop()) {
                    assertTrue(
                            got.contains(e.getKey()),
                            "accepted change lost: " + p + "/" + e.getKey() + " " + e.getValue());
                }
            }
        }
        assertEquals(0, duplicates, "duplicated history records");
        assertEquals(0, gaps, "version gaps");
        return new int[] {duplicates, gaps};
    }

    private static int checkRejections(List<ConsumerRecord<byte[], byte[]>> rejections, Map<Long, Outcome>[] model) {
        int duplicates = 0;
        Map<Integer, java.util.Set<Long>> seen = new HashMap<>();
        Map<RejectionReason, Integer> byReason = new EnumMap<>(RejectionReason.class);
        for (ConsumerRecord<byte[], byte[]> r : rejections) {
            Rejection rej = Envelopes.rejection().decode(r.value());
            if (!seen.computeIfAbsent(rej.getPartition(), x -> new java.util.HashSet<>())
                    .add(rej.getOffset())) {
                duplicates++;
                continue;
            }
            Outcome o = model[rej.getPartition()].get(rej.getOffset());
            assertTrue(o != null, "rejection of a change nobody sent: " + rej);
            assertEquals(
                    o.rejected(),
                    rej.getReason(),
                    "reason for " + rej.getPartition() + "/" + rej.getOffset() + " " + o);
            byReason.merge(rej.getReason(), 1, Integer::sum);
        }
        Map<RejectionReason, Integer> expected = new EnumMap<>(RejectionReason.class);
        for (Map<Long, Outcome> m : model) {
            m.values().stream()
                    .filter(o -> o.rejected() != null)
                    .forEach(o -> expected.merge(o.rejected(), 1, Integer::sum));
        }
        assertEquals(expected, byReason, "refused changes by reason (each exactly once)");
        assertEquals(0, duplicates, "duplicated rejections");
        return duplicates;
    }

    // The last checksum of each partition covers its last change and equals the digest of the state log.
    private static void checkChecksumsAgainstLog(
            KafkaFixture kafka, Namespace ns, List<ConsumerRecord<byte[], byte[]>> state, Map<Integer, Receipt> last) {
        Map<Integer, Checksum> latest = latestChecksums(kafka, ns);
        for (int p = 0; p < PARTITIONS; p++) {
            Map<String, byte[]> t = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : state) {
                if (r.partition() == p) {
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        t.remove(k);
                    } else {
                        t.put(k, r.value());
                    }
                }
            }
            Digest d = new Digest();
            t.forEach((k, v) -> d.add(k.getBytes(StandardCharsets.UTF_8), v));
            Checksum c = latest.get(p);
            assertTrue(
                    c != null && c.getSrcOffset() >= last.get(p).offset(),
                    "a checksum covers partition " + p + ": " + c);
            assertTrue(
                    d.value().matches(c.getCount(), c.getLanes()),
                    "checksum of partition " + p + " = digest of the log: " + c + " vs " + d);
        }
    }

    private static Map<Integer, Checksum> latestChecksums(KafkaFixture kafka, Namespace ns) {
        Map<Integer, Checksum> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.checksums())) {
            if (Envelopes.decodeChecksumsValue(r.value()) instanceof Checksum c) {
                latest.merge(c.getPartition(), c, (x, y) -> y.getSrcOffset() >= x.getSrcOffset() ? y : x);
            }
        }
        return latest;
    }

    private static void awaitChecksumsCovering(
            KafkaFixture kafka, Namespace ns, Map<Integer, Receipt> last, Duration timeout) {
        Conditions.waitFor("checksums covering every partition's last change", timeout, () -> {
            Map<Integer, Checksum> latest = latestChecksums(kafka, ns);
            return last.entrySet().stream()
                    .allMatch(e -> latest.containsKey(e.getKey())
                            && latest.get(e.getKey()).getSrcOffset()
                                    >= e.getValue().offset());
        });
    }

    private static void atFraction(AtomicInteger progress, int total, double fraction) {
        Conditions.waitFor(
                "the writers to pass " + (int) (fraction * 100) + "%",
                Duration.ofMinutes(5),
                () -> progress.get() >= fraction * total);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    // ---- the views: three, restarted in place; snapshots for views 1 and 2 (warm restarts) ----

    static final class Views {
        static final int COUNT = 3;
        private final KafkaFixture kafka;
        private final Namespace ns;
        private final Path dir;

        @SuppressWarnings("unchecked")
        private final StateView<Node>[] views = new StateView[COUNT];

        private final List<ViewStats.Checks> closed = new ArrayList<>();

        Views(KafkaFixture kafka, Namespace ns, Path dir) {
            this.kafka = kafka;
            this.ns = ns;
            this.dir = dir;
        }

        void open(int i, boolean expectWarm) {
            StateView.Builder<Node> b = StateView.builder(Node.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .verification(true, 4096);
            if (i > 0) {
                b.snapshots(dir.resolve("snapshots-" + i), Duration.ofSeconds(5));
            }
            views[i] = b.build().start();
            views[i].awaitReady(Duration.ofMinutes(3));
            if (expectWarm) {
                assertTrue(
                        views[i].stats().startMode().startsWith("warm restart"),
                        "view " + i + " restarted warm: " + views[i].stats().startMode());
            }
        }

        void reopen(int i) {
            closed.add(views[i].stats().checks());
            views[i].close();
            open(i, i > 0);
        }

        StateView<Node> view(int i) {
            return views[i];
        }

        ViewStats.Checks totalChecks() {
            List<ViewStats.Checks> all = new ArrayList<>(closed);
            for (StateView<Node> v : views) {
                all.add(v.stats().checks());
            }
            return new ViewStats.Checks(
                    all.stream().mapToLong(ViewStats.Checks::verified).sum(),
                    all.stream().mapToLong(ViewStats.Checks::mismatched).sum(),
                    all.stream().mapToLong(ViewStats.Checks::notComparable).sum(),
                    all.stream().mapToLong(ViewStats.Checks::heals).sum(),
                    all.stream().mapToLong(ViewStats.Checks::alarms).sum());
        }

        void closeAll() {
            for (StateView<Node> v : views) {
                v.close();
            }
        }
    }

    // ---- the materializer, in its own JVM ----

    static final class MaterializerProcess {
        private final String bootstrap;
        private final Namespace ns;
        private final Path log;
        private final int httpPort;
        private Process process;

        MaterializerProcess(String bootstrap, Namespace ns, Path dir) throws IOException {
            this.bootstrap = bootstrap;
            this.ns = ns;
            this.log = dir.resolve("materializer.log");
            try (ServerSocket s = new ServerSocket(0)) {
                this.httpPort = s.getLocalPort();
            }
        }

        void start(Path stateDir) throws IOException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(
                            java,
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            "io.statecast.materializer.Main",
                            "--bootstrap-servers",
                            bootstrap,
                            "--namespace",
                            ns.name(),
                            "--http-port",
                            Integer.toString(httpPort),
                            "state.dir=" + stateDir,
                            "checksum.interval.ms=1000",
                            "replication.factor=3",
                            "session.timeout.ms=6000",
                            "num.stream.threads=1")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        }

        /** SIGKILL: no shutdown hook, no graceful close, an open transaction left behind. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        void destroy() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        void awaitReady() {
            Conditions.waitFor("the materializer to be ready (log: " + log + ")", Duration.ofMinutes(2), () -> {
                assertTrue(process.isAlive(), "the materializer process died; log: " + tail());
                return http("GET") == 200;
            });
        }

        void requestChecksums() {
            assertEquals(202, http("POST"), "POST /checksums");
        }

        private int http(String method) {
            try {
                String path = method.equals("GET") ? "/ready" : "/checksums";
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5))
                        .build();
                return HttpClient.newHttpClient()
                        .send(req, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
