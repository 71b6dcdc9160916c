package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.RateLimiter;
import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.ReliabilityDoc;
import io.statecast.testkit.StatecastKafkaTest;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak (-Preliability): 20 views with listeners (some filtered, some indexed) follow a materializer
 * under a steady 1,500 changes/s over a bounded key space for about four minutes. Once every key has
 * been written the table stops growing, so the JVM's live heap after GC must stay flat; no listener
 * may drop an event or build a backlog that grows; every view ends equal to the others and verified.
 */
@StatecastKafkaTest
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class SoakReliabilityIT {
    private static final int VIEWS = 20;
    private static final int KEYS = 10_000;
    private static final int RATE = 1_500;
    private static final Duration WRITING = Duration.ofSeconds(210);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    @Test
    void heapStaysFlatAndListenersKeepUp(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(6).withChecksumInterval(Duration.ofSeconds(2)));
        }
        Map<String, Object> mc = new HashMap<>(kafka.clientConfig());
        mc.put(MaterializerConfig.NAMESPACE, ns.name());
        mc.put(MaterializerConfig.HTTP_PORT, 0);
        mc.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 2000L);
        mc.put(MaterializerConfig.STATE_DIR, dir.resolve("streams").toString());
        try (Materializer m = new Materializer(new MaterializerConfig(mc)).start()) {
            List<StateView<Node>> views = new ArrayList<>();
            List<AtomicLong> delivered = new ArrayList<>();
            for (int i = 0; i < VIEWS; i++) {
                AtomicLong count = new AtomicLong();
                delivered.add(count);
                StateView.Builder<Node> b = StateView.builder(Node.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .listener("soak-" + i, c -> count.incrementAndGet());
                if (i % 4 == 1) {
                    String zone = "zone-" + (i % 3);
                    b.filter(n -> n.getZone().toString().equals(zone));
                }
                if (i % 4 == 2) {
                    b.index("zone", n -> n.getZone().toString());
                }
                views.add(b.build().start());
            }
            views.forEach(v -> v.awaitReady(Duration.ofMinutes(1)));

            List<Double> heapMb = new ArrayList<>();
            List<Integer> backlog = new ArrayList<>();
            long sent = 0;
            Random r = new Random(5);
            long start = System.nanoTime();
            long nextSample = start + SAMPLE_EVERY.toNanos();
            try (StatecastProducer<Node> producer = StatecastProducer.builder(Node.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .producerId("soak")
                    .build()) {
                RateLimiter pace = RateLimiter.create(RATE); // open loop: RATE changes/s whatever the views do
                while (System.nanoTime() - start < WRITING.toNanos()) {
                    pace.acquire();
                    int k = r.nextInt(KEYS);
                    if (r.nextInt(10) == 0) {
                        producer.delete("node-" + k);
                    } else {
                        producer.upsert("node-" + k, node(k, r));
                    }
                    sent++;
                    if (System.nanoTime() >= nextSample) {
                        nextSample += SAMPLE_EVERY.toNanos();
                        heapMb.add(liveHeapMb());
                        backlog.add(views.stream()
                                .flatMap(v -> v.stats().listeners().stream())
                                .mapToInt(ViewStats.ListenerStats::queued)
                                .sum());
                    }
                }
                producer.flush();
            }

            // Quiesce: every view reaches the same table, verified, with nothing left queued.
            m.requestChecksums();
            Conditions.waitFor("every view equal to the first and verified", Duration.ofMinutes(2), () -> {
                Map<String, Node> first = views.get(0).snapshot();
                for (int i = 0; i < VIEWS; i++) {
                    StateView<Node> v = views.get(i);
                    Map<String, Node> expected = new HashMap<>(first);
                    if (i % 4 == 1) { // the filtered views hold one zone's nodes
                        String zone = "zone-" + (i % 3);
                        expected.values().removeIf(x -> !x.getZone().toString().equals(zone));
                    }
                    if (v.stats().checks().verified() == 0
                            || v.stats().listeners().stream().anyMatch(l -> l.queued() > 0)
                            || !v.snapshot().equals(expected)) {
                        return false;
                    }
                }
                return true;
            });
            long dropped = views.stream()
                    .flatMap(v -> v.stats().listeners().stream())
                    .mapToLong(ViewStats.ListenerStats::dropped)
                    .sum();
            long failures = views.stream()
                    .flatMap(v -> v.stats().listeners().stream())
                    .mapToLong(ViewStats.ListenerStats::failures)
                    .sum();
            long mismatches = views.stream()
                    .mapToLong(v -> v.stats().checks().mismatched())
                    .sum();
            long resets = views.stream().mapToLong(v -> v.stats().resets()).sum();
            assertEquals(0, dropped, "listener events dropped");
            assertEquals(0, failures, "listener failures");
            assertEquals(0, mismatches, "checksum mismatches");
            assertEquals(0, resets, "view resets");

            // Flat heap: after the first third (every key written by then), the last third's median may
            // not exceed the middle third's by more than 15% + 16 MB of GC noise.
            int n = heapMb.size();
            assertTrue(n >= 9, "samples: " + heapMb);
            double middle = median(heapMb.subList(n / 3, 2 * n / 3));
            double last = median(heapMb.subList(2 * n / 3, n));
            assertTrue(
                    last <= middle * 1.15 + 16,
                    "live heap grows: middle third " + middle + " MB, last third " + last + " MB: " + heapMb);
            // No growing backlog: the last third's worst is not above the middle third's worst (+ one poll's worth).
            int backlogMiddle = backlog.subList(n / 3, 2 * n / 3).stream()
                    .mapToInt(Integer::intValue)
                    .max()
                    .orElse(0);
            int backlogLast = backlog.subList(2 * n / 3, n).stream()
                    .mapToInt(Integer::intValue)
                    .max()
                    .orElse(0);
            assertTrue(backlogLast <= Math.max(2 * backlogMiddle, 500), "listener backlog grows: " + backlog);

            long deliveredTotal = delivered.stream().mapToLong(AtomicLong::get).sum();
            views.forEach(StateView::close);
            ReliabilityDoc.append(String.format(
                    "soak: %d views (listeners; 5 filtered, 5 indexed) over %d keys, %d changes in %d s"
                            + " (%d/s); live heap after GC, MB: first %.0f, middle-third median %.0f, last-third median %.0f (samples every %d s: %s);"
                            + " listener backlog, summed over views: middle-third max %d, last-third max %d; %d events delivered, dropped %d,"
                            + " failures %d; checksum mismatches %d; view resets %d",
                    VIEWS,
                    KEYS,
                    sent,
                    WRITING.toSeconds(),
                    sent / WRITING.toSeconds(),
                    heapMb.get(0),
                    middle,
                    last,
                    SAMPLE_EVERY.toSeconds(),
                    heapMb.stream().map(h -> String.format("%.0f", h)).toList(),
                    backlogMiddle,
                    backlogLast,
                    deliveredTotal,
                    dropped,
                    failures,
                    mismatches,
                    resets));
        }
    }

    private static Node node(int k, Random r) {
        return Node.newBuilder()
                .setName("node-" + k)
                .setZone("zone-" + (k % 3))
                .setCpuMillis(1000 * (1 + r.nextInt(16)))
                .setMemoryBytes(1L << (30 + r.nextInt(6)))
                .setReady(r.nextBoolean())
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    private static double liveHeapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
