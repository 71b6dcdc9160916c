package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.ViewClosedException;
import io.statecast.consumer.internal.DeflateCompression;
import io.statecast.consumer.spi.ValueCompression;
import io.statecast.consumer.testing.ViewTestSeams;
import io.statecast.materializer.Materializer;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view that keeps its values compressed answers exactly as one that keeps them as read: gets, indexes,
 * listeners' old values, a warm restart from its snapshot (digests checked) and a heal. The compressor is
 * the JDK's deflate with a dictionary (zstd's is tested in the statecast-compact module), trained from
 * the first 100 values, so most of the 1000 entries are stored compressed and the first ones compressed once.
 */
@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CompressedViewIT {
    private static final int TRAINING = 100;

    @Test
    void getsIndexesAndListenersSeeTheValuesAsWrittenWhileTheTableHoldsFewerBytes(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        Map<String, Pod[]> heard = new ConcurrentHashMap<>();
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns);
                StateView<Pod> plain = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build();
                StateView<Pod> view = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .valueCompression(new DeflateCompression(TRAINING))
                        .index("byNode", Pod::getNode)
                        .listener("old", c -> heard.put(c.key(), new Pod[] {c.oldValue(), c.newValue()}))
                        .build()) {
            Map<String, Pod> table = WarmRestartIT.fill(kafka, ns, m);
            view.start().awaitReady(Duration.ofSeconds(30));
            plain.start().awaitReady(Duration.ofSeconds(30));
            assertEquals(table, view.snapshot());
            assertEquals(table.get("pod-3"), view.get("pod-3"));
            assertTrue(
                    view.stats().storedBytes() * 10 < plain.stats().storedBytes() * 8,
                    view.stats().storedBytes() + " bytes compressed, "
                            + plain.stats().storedBytes() + " as read");

            m.begin();
            for (int i : List.of(1, 500, 999)) { // one gathered for training, two compressed from the start
                Pod p = FakeMaterializer.pod("pod-" + i, "node-moved", PodPhase.SUCCEEDED);
                m.write(i % 2, "pod-" + i, p);
                table.put("pod-" + i, p);
            }
            m.commit();
            Conditions.waitFor(
                    "the updates applied",
                    Duration.ofSeconds(30),
                    () -> view.snapshot().equals(table));
            Conditions.waitFor(
                    "three changes heard",
                    Duration.ofSeconds(30),
                    () -> List.of(1, 500, 999).stream()
                            .allMatch(i -> heard.get("pod-" + i) != null
                                    && heard.get("pod-" + i)[1].getNode().equals("node-moved")));
            for (int i : List.of(1, 500, 999)) {
                Pod old = FakeMaterializer.pod("pod-" + i, "node-" + (i % 7), PodPhase.RUNNING);
                assertEquals(old, heard.get("pod-" + i)[0], "the old value of pod-" + i);
            }
            assertEquals(3, view.byIndex("byNode", "node-moved").size());
            assertEquals(table.get("pod-4"), view.byIndex("byNode", "node-4").get("pod-4"));
        }
    }

    @Test
    void aWarmRestartLoadsTheSnapshotOfACompressedViewAndChecksItsDigests(KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            Map<String, Pod> table = WarmRestartIT.fill(kafka, ns, m);
            try (StateView<Pod> first = view(kafka, ns, dir)) {
                first.start().awaitReady(Duration.ofSeconds(30));
                assertEquals(table, first.snapshot());
            } // close writes the snapshot
            m.begin();
            for (int i = 0; i < 10; i++) {
                Pod p = FakeMaterializer.pod("pod-" + (i * 37), "node-x", PodPhase.SUCCEEDED);
                m.write((i * 37) % 2, "pod-" + (i * 37), p);
                table.put("pod-" + (i * 37), p);
            }
            m.commit();
            try (StateView<Pod> second = view(kafka, ns, dir)) {
                second.start().awaitReady(Duration.ofSeconds(30));
                assertTrue(
                        second.stats().startMode().startsWith("warm restart from snapshot (1000 entries"),
                        second.stats().startMode());
                assertEquals(10, second.stats().recordsApplied(), "only the changed records were fetched");
                assertEquals(table, second.snapshot());
            }
        }
    }

    @Test
    void aDivergenceInACompressedViewIsDetectedAndHealed(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 3);
        try (Materializer m = VerificationIT.materializer(kafka, ns, 600_000);
                StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            Map<String, Pod> table = VerificationIT.load(p, 300, 5);
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .valueCompression(new DeflateCompression(TRAINING))
                    .build()) {
                view.start().awaitReady(Duration.ofSeconds(30));
                Conditions.waitFor(
                        "view = table",
                        Duration.ofSeconds(30),
                        () -> view.snapshot().equals(table));
                m.requestChecksums();
                Conditions.waitFor(
                        "every partition verified",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks().verified() >= 3);
                assertEquals(0, view.stats().checks().mismatched(), "compressed entries keep the digest as read");

                ViewTestSeams.injectDivergence(view, "ALTER_VALUE", "pod-17");
                m.requestChecksums();
                Conditions.waitFor(
                        "detected",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks().heals() == 1);
                Conditions.waitFor(
                        "healed: view = table",
                        Duration.ofSeconds(30),
                        () -> view.snapshot().equals(table));
                long verified = view.stats().checks().verified();
                m.requestChecksums();
                Conditions.waitFor(
                        "verified again",
                        Duration.ofSeconds(30),
                        () -> view.stats().checks().verified() >= verified + 3);
                assertEquals(1, view.stats().checks().mismatched());
            }
        }
    }

    @Test
    void aPartitionThatReachedItsEndBeforeTheCompressorWasTrainedIsCompressedOnceItIs(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        AtomicInteger decompressed = new AtomicInteger();
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns);
                StateView<Pod> view = StateView.builder(Pod.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .valueCompression(counting(new DeflateCompression(TRAINING), decompressed))
                        .build()) {
            m.begin();
            for (int i = 0; i < 3; i++) { // partition 0 is read to its end with 3 values: too few to train
                m.write(0, "early-" + i, FakeMaterializer.pod("early-" + i, "node-0", PodPhase.RUNNING));
            }
            m.commit();
            view.start().awaitReady(Duration.ofSeconds(30));
            m.begin();
            for (int i = 0; i < 2 * TRAINING; i++) { // partition 1, live: the compressor is trained from these
                m.write(1, "late-" + i, FakeMaterializer.pod("late-" + i, "node-1", PodPhase.RUNNING));
            }
            m.commit();
            Conditions.waitFor("every value applied", Duration.ofSeconds(30), () -> view.size() == 3 + 2 * TRAINING);
            // Partition 0 gets no record after the training: its values are compressed by the view, or never.
            Conditions.waitFor("a get of a partition-0 value decompresses it", Duration.ofSeconds(10), () -> {
                int before = decompressed.get();
                Pod p = view.get("early-1");
                return p != null && decompressed.get() > before;
            });
        }
    }

    // zstd's compressor holds native memory that only its close() frees: the view must call it when it closes.
    @Test
    void closingTheViewClosesItsCompressorOnceAfterItsLastRead(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        AtomicInteger decompressed = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger readsBeforeClose = new AtomicInteger(-1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            Map<String, Pod> table = WarmRestartIT.fill(kafka, ns, m);
            StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .valueCompression(
                            counting(new DeflateCompression(TRAINING), decompressed, closed, readsBeforeClose))
                    .build();
            view.start().awaitReady(Duration.ofSeconds(30));
            assertEquals(table.get("pod-500"), view.get("pod-500"));
            assertEquals(0, closed.get(), "open: not closed");
            view.close();
            view.close();
            assertEquals(1, closed.get(), "closed once");
            assertThrows(ViewClosedException.class, () -> view.get("pod-500"));
            assertEquals(decompressed.get(), readsBeforeClose.get(), "no value was read after the close");
        }
    }

    private static ValueCompression counting(ValueCompression inner, AtomicInteger decompressed) {
        return counting(inner, decompressed, new AtomicInteger(), new AtomicInteger());
    }

    // The compression given, counting the values it gives back and its closes.
    private static ValueCompression counting(
            ValueCompression inner, AtomicInteger decompressed, AtomicInteger closed, AtomicInteger readsAtClose) {
        return new ValueCompression() {
            @Override
            public int trainingValues() {
                return inner.trainingValues();
            }

            @Override
            public Compressor train(List<byte[]> samples) {
                Compressor c = inner.train(samples);
                return new Compressor() {
                    @Override
                    public byte[] compress(byte[] value) {
                        return c.compress(value);
                    }

                    @Override
                    public byte[] decompress(byte[] stored, int from, int length) {
                        decompressed.incrementAndGet();
                        return c.decompress(stored, from, length);
                    }

                    @Override
                    public void close() {
                        readsAtClose.set(decompressed.get());
                        closed.incrementAndGet();
                        c.close();
                    }
                };
            }
        };
    }

    private static StateView<Pod> view(KafkaFixture kafka, Namespace ns, Path dir) {
        return StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .snapshots(dir, Duration.ofHours(1))
                .clock(Clock.systemUTC())
                .valueCompression(new DeflateCompression(TRAINING))
                .build();
    }
}
