package io.statecast.cli;

import static io.statecast.cli.ChaosModel.PARTITIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.cli.ChaosModel.Outcome;
import io.statecast.cli.ChaosModel.Sent;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.StateRecord;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.Dirs;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.ProcessKafkaCluster;
import io.statecast.testkit.ReliabilityDoc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos (-Preliability): 3 brokers, each in its own JVM (RF 3, min.insync.replicas 2), two of them
 * crashed with SIGKILL mid-load and restarted on their log directories — the second one the transaction
 * coordinator of the materializer's open transaction; the materializer in its own JVM killed with
 * SIGKILL three times; five view restarts (three warm); 200,000 random upserts, deletes and
 * compare-and-sets from two producers. An independent model, built from the producers' receipts (the
 * order of {@code changes}) and the documented rules, must equal the state log, every view, the history
 * (gapless versions, each accepted change exactly once) and the rejections (each refused change exactly
 * once, right reason); no checksum mismatch but the injected one, no alarm.
 */
@Timeout(value = 1200, unit = TimeUnit.SECONDS)
class ChaosReliabilityIT {
    private static final Duration REPLICATED = Duration.ofMinutes(3);

    /** The parts under test. */
    record Rig(
            KafkaFixture kafka, ProcessKafkaCluster cluster, Namespace ns, Path dir, ChaosMaterializer materializer) {}

    /** What the faults did, for the figures line. */
    static final class Faults {
        int materializerKills;
        int viewRestarts;
        int warmRestarts;
        long lastKill;
        final List<String> brokerKills = new ArrayList<>();
    }

    @Test
    void viewsTableAndModelAgreeThroughKillsAndRestarts() throws Exception {
        long t0 = System.nanoTime();
        // Kept when the test fails: the brokers' and the materializer's logs are there.
        Path dir = Dirs.freshTestDir("chaos-");
        System.out.println("chaos: brokers, materializer and snapshots in " + dir);
        ProcessKafkaCluster cluster = ProcessKafkaCluster.builder()
                .brokers(3)
                .dataDir(dir.resolve("kafka"))
                .brokerConfig("min.insync.replicas", "2")
                .controllerConfig("min.insync.replicas", "2")
                .controllerConfig("default.replication.factor", "3") // KRaft: the controller applies it
                .startTimeout(Duration.ofMinutes(5)) // a crashed broker recovers ~60 logs first
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
            ChaosMaterializer materializer = new ChaosMaterializer(kafka.bootstrapServers(), ns, dir);
            try {
                run(new Rig(kafka, cluster, ns, dir, materializer), t0);
            } finally {
                materializer.destroy(); // never leave the other JVM behind, whatever failed
            }
        }
        Dirs.deleteRecursively(dir);
    }

    private void run(Rig rig, long t0) throws Exception {
        rig.materializer().start(rig.dir().resolve("streams-a"));
        rig.materializer().awaitReady();
        ChaosViews views = new ChaosViews(rig.kafka(), rig.ns(), rig.dir());
        for (int i = 0; i < ChaosViews.COUNT; i++) {
            views.open(i, false);
        }
        AtomicInteger progress = new AtomicInteger();
        List<Sent> sentA = new ArrayList<>();
        List<Sent> sentB = new ArrayList<>();
        Thread a = ChaosLoad.writer(rig.kafka(), rig.ns(), "chaos-a", 1, sentA, progress);
        Thread b = ChaosLoad.writer(rig.kafka(), rig.ns(), "chaos-b", 2, sentB, progress);
        a.start();
        b.start();
        Faults faults = faults(rig, views, progress);
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
        Map<Long, Outcome>[] model = ChaosModel.model(all);
        Map<String, Outcome> live = ChaosModel.liveTable(model);
        Map<Integer, Receipt> last = lastReceipts(all);
        awaitFinalVerification(rig, views, last);

        // The state log = the model; its checksums = the digest of the log.
        List<ConsumerRecord<byte[], byte[]>> state =
                rig.kafka().readToEnd(rig.ns().state());
        checkStateLog(state, live);
        ChaosModel.checkChecksumsAgainstLog(rig.kafka(), rig.ns(), state, last);

        // History: each accepted change exactly once, versions 1..n per key; rejections: each refused change once.
        int[] dupAndGaps =
                ChaosModel.checkHistory(rig.kafka().readToEnd(rig.ns().history()), model);
        int rejectionDuplicates =
                ChaosModel.checkRejections(rig.kafka().readToEnd(rig.ns().rejections()), model);

        // Every view = the model (the injected foreign entry healed away); no false mismatch, no alarm.
        Map<String, Node> expected = new HashMap<>();
        live.forEach((k, o) -> expected.put(k, ChaosLoad.NODES.decode(o.payload())));
        for (int i = 0; i < ChaosViews.COUNT; i++) {
            StateView<Node> view = views.view(i);
            assertEquals(expected, view.snapshot(), "view " + i + " vs the model");
            assertEquals(List.of(), view.status().alarms(), "alarms of view " + i);
        }
        ViewStats.Checks checks = views.totalChecks();
        assertTrue(checks.heals() >= 1, "the injected divergence was healed: " + checks);
        assertEquals(1, checks.mismatched(), "mismatches: the injected one only: " + checks);
        assertEquals(0, checks.alarms(), "alarms: " + checks);

        views.closeAll();
        rig.materializer().stop();
        ReliabilityDoc.append(
                figures(all, model, live, faults, checks, dupAndGaps[0] + rejectionDuplicates, dupAndGaps[1])
                        + String.format("; %.0f s", (System.nanoTime() - t0) / 1e9));
    }

    // The faults, at fractions of the operations sent.
    private static Faults faults(Rig rig, ChaosViews views, AtomicInteger progress) throws Exception {
        Faults f = new Faults();
        ChaosMaterializer materializer = rig.materializer();
        atFraction(progress, 0.12);
        materializer.kill(); // SIGKILL; restart on the same state directory
        f.materializerKills++;
        materializer.start(rig.dir().resolve("streams-a"));
        atFraction(progress, 0.25);
        views.reopen(0); // cold
        f.viewRestarts++;
        atFraction(progress, 0.35);
        materializer.kill(); // SIGKILL; restart on an empty state directory: stores restored from changelogs
        f.materializerKills++;
        materializer.start(rig.dir().resolve("streams-b"));
        atFraction(progress, 0.42);
        int victim = crashBroker(rig, f, false);
        views.reopen(1); // warm, while a broker is down
        f.viewRestarts++;
        f.warmRestarts++;
        atFraction(progress, 0.50);
        restartBroker(rig, f, victim);
        atFraction(progress, 0.56);
        int coordinator = crashBroker(rig, f, true);
        atFraction(progress, 0.62);
        restartBroker(rig, f, coordinator);
        atFraction(progress, 0.68);
        materializer.kill();
        f.materializerKills++;
        materializer.start(rig.dir().resolve("streams-b"));
        atFraction(progress, 0.75);
        views.reopen(2); // warm
        f.viewRestarts++;
        f.warmRestarts++;
        atFraction(progress, 0.80);
        ViewTestSeams.injectDivergence(views.view(1), "ADD_FOREIGN_ENTRY", "foreign-entry"); // must be healed
        atFraction(progress, 0.86);
        views.reopen(0); // cold
        f.viewRestarts++;
        atFraction(progress, 0.94);
        views.reopen(2); // warm
        f.viewRestarts++;
        f.warmRestarts++;
        return f;
    }

    // SIGKILLs the broker that coordinates the materializer's open transaction, or (coordinator false)
    // one that does not, so that the two crashes test different things. Returns the broker's id.
    private static int crashBroker(Rig rig, Faults f, boolean coordinator) {
        ProcessKafkaCluster cluster = rig.cluster();
        String txId = rig.materializer().transactionalId(rig.kafka().admin());
        if (coordinator) {
            rig.materializer().awaitReady();
            rig.materializer().awaitOpenTransaction(rig.kafka().admin(), txId);
        }
        int txCoordinator = cluster.transactionCoordinator(txId);
        int victim = coordinator ? txCoordinator : (txCoordinator + 1) % cluster.size();
        int exit = cluster.killBroker(victim);
        f.lastKill = System.nanoTime();
        assertEquals(137, exit, "broker " + victim + " died of SIGKILL");
        if (coordinator) {
            int moved = Conditions.waitFor(
                    "the transaction coordinator of " + txId + " to move off killed broker " + victim,
                    REPLICATED,
                    () -> cluster.transactionCoordinator(txId),
                    id -> id != victim);
            assertNotEquals(victim, moved);
            f.brokerKills.add("broker " + victim + " = the transaction coordinator of the materializer's open"
                    + " transaction (moved to broker " + moved + ")");
        } else {
            f.brokerKills.add("broker " + victim + " (not the coordinator)");
        }
        return victim;
    }

    private static void restartBroker(Rig rig, Faults f, int id) {
        long t = System.nanoTime();
        rig.cluster().startBroker(id); // same log directory: Kafka recovers it as after a crash
        long started = System.nanoTime();
        rig.cluster().awaitFullyReplicated(REPLICATED); // before the next fault, so that minISR 2 holds
        int last = f.brokerKills.size() - 1;
        f.brokerKills.set(
                last,
                f.brokerKills.get(last)
                        + String.format(
                                ", down %.0f s, restart to unfenced %.0f s, to every ISR whole %.0f s more",
                                (t - f.lastKill) / 1e9, (started - t) / 1e9, (System.nanoTime() - started) / 1e9));
    }

    private static Map<Integer, Receipt> lastReceipts(List<Sent> all) {
        Map<Integer, Receipt> last = new HashMap<>();
        for (Sent s : all) {
            Receipt r = s.receipt().join();
            last.merge(r.partition(), r, (x, y) -> x.offset() >= y.offset() ? x : y);
        }
        return last;
    }

    // Waits until every view has seen the end of every partition, then asks for fresh checksums, which
    // every view must verify: no mismatch and nothing not comparable once the faults are over.
    private static void awaitFinalVerification(Rig rig, ChaosViews views, Map<Integer, Receipt> last) {
        for (int i = 0; i < ChaosViews.COUNT; i++) {
            for (Receipt r : last.values()) {
                assertTrue(views.view(i).await(r, Duration.ofMinutes(5)), "view " + i + " reached " + r);
            }
        }
        ChaosModel.awaitChecksumsCovering(rig.kafka(), rig.ns(), last, Duration.ofMinutes(2));
        ViewStats.Checks[] before = new ViewStats.Checks[ChaosViews.COUNT];
        for (int i = 0; i < ChaosViews.COUNT; i++) {
            before[i] = views.view(i).stats().checks();
        }
        rig.materializer().requestChecksums();
        for (int i = 0; i < ChaosViews.COUNT; i++) {
            StateView<Node> view = views.view(i);
            long wanted = before[i].verified() + PARTITIONS;
            Conditions.waitFor(
                    "view " + i + " to verify " + wanted + " checksums (the fresh ones after the last fault)",
                    Duration.ofMinutes(2),
                    () -> view.stats().checks().verified(),
                    verified -> verified >= wanted);
            ViewStats.Checks after = view.stats().checks();
            assertEquals(before[i].mismatched(), after.mismatched(), "view " + i + ": no mismatch once recovered");
            assertEquals(
                    before[i].notComparable(),
                    after.notComparable(),
                    "view " + i + ": every final checksum comparable");
        }
    }

    private static void checkStateLog(List<ConsumerRecord<byte[], byte[]>> state, Map<String, Outcome> live) {
        Map<String, ConsumerRecord<byte[], byte[]>> table = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : state) {
            table.put(new String(r.key(), StandardCharsets.UTF_8), r);
        }
        table.values().removeIf(r -> r.value() == null);
        assertEquals(live.keySet(), table.keySet(), "live keys of the state log vs the model");
        for (Map.Entry<String, Outcome> e : live.entrySet()) {
            StateRecord rec =
                    Envelopes.stateRecord().decode(table.get(e.getKey()).value());
            assertEquals(e.getValue().version(), rec.getVersion(), "version of " + e.getKey());
            assertTrue(
                    Arrays.equals(e.getValue().payload(), ChaosModel.bytes(rec.getPayload())),
                    "payload of " + e.getKey());
        }
    }

    private static String figures(
            List<Sent> all,
            Map<Long, Outcome>[] model,
            Map<String, Outcome> live,
            Faults f,
            ViewStats.Checks checks,
            int duplicates,
            int gaps) {
        long accepted = count(model, o -> o.rejected() == null && !o.noop());
        long rejected = count(model, o -> o.rejected() != null);
        long noops = count(model, Outcome::noop);
        long cas = all.stream().filter(s -> s.expected() != null).count();
        return String.format(
                "chaos: %d operations from 2 producers (%d with compare-and-set; model: %d accepted, %d refused,"
                        + " %d no-ops); 3 brokers in their own JVMs, RF 3 minISR 2; broker SIGKILLs %d mid-load"
                        + " (%s; each restarted on its log directory); materializer SIGKILLs %d, view restarts %d"
                        + " (%d warm); lost 0, duplicates %d, version gaps %d; checksum mismatches %d (1 injected), heals %d,"
                        + " alarms %d, checksums verified %d, not comparable %d; %d live keys equal in %d views,"
                        + " state log and model",
                all.size(),
                cas,
                accepted,
                rejected,
                noops,
                f.brokerKills.size(),
                String.join("; ", f.brokerKills),
                f.materializerKills,
                f.viewRestarts,
                f.warmRestarts,
                duplicates,
                gaps,
                checks.mismatched(),
                checks.heals(),
                checks.alarms(),
                checks.verified(),
                checks.notComparable(),
                live.size(),
                ChaosViews.COUNT);
    }

    private static long count(Map<Long, Outcome>[] model, java.util.function.Predicate<Outcome> which) {
        return Arrays.stream(model)
                .mapToLong(m -> m.values().stream().filter(which).count())
                .sum();
    }

    private static void atFraction(AtomicInteger progress, double fraction) {
        int total = 2 * ChaosLoad.OPERATIONS_PER_PRODUCER;
        Conditions.waitFor(
                "the writers to pass " + (int) (fraction * 100) + "% of " + total + " operations",
                Duration.ofMinutes(5),
                progress::get,
                sent -> sent >= fraction * total);
    }
}
