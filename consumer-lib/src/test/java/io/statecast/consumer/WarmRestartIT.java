package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
import io.statecast.common.Namespace;
import io.statecast.consumer.internal.SnapshotFile;
import io.statecast.consumer.internal.SnapshotWriter;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WarmRestartIT {
    static final int KEYS = 1000;

    static Map<String, Pod> fill(KafkaFixture kafka, Namespace ns, FakeMaterializer m) {
        Map<String, Pod> table = new HashMap<>();
        m.begin();
        for (int i = 0; i < KEYS; i++) {
            Pod p = FakeMaterializer.pod("pod-" + i, "node-" + (i % 7), PodPhase.RUNNING);
            m.write(i % 2, "pod-" + i, p);
            table.put("pod-" + i, p);
        }
        m.commit();
        return table;
    }

    StateView<Pod> view(KafkaFixture kafka, Namespace ns, Path dir, Clock clock) {
        return StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .snapshots(dir, Duration.ofHours(1))
                .clock(clock)
                .build();
    }

    @Test
    void aWarmRestartAfterOnePercentChangedReadsOnlyTheChangedRecords(KafkaFixture kafka, @TempDir Path dir) {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            Map<String, Pod> table = fill(kafka, ns, m);
            try (StateView<Pod> first = view(kafka, ns, dir, Clock.systemUTC())) {
                first.start().awaitReady(Duration.ofSeconds(30));
                assertTrue(
                        first.stats().startMode().startsWith("full bootstrap: no snapshot"),
                        first.stats().startMode());
                assertEquals(KEYS, first.stats().recordsApplied());
            } // close writes the snapshot
            m.begin();
            for (int i = 0; i < KEYS / 100; i++) {
                String key = "pod-" + (i * 37);
                Pod p = i % 2 == 0 ? FakeMaterializer.pod(key, "node-x", PodPhase.SUCCEEDED) : null;
                m.write((i * 37) % 2, key, p);
                if (p == null) {
                    table.remove(key);
                } else {
                    table.put(key, p);
                }
            }
            m.commit();
            try (StateView<Pod> second = view(kafka, ns, dir, Clock.systemUTC())) {
                second.start().awaitReady(Duration.ofSeconds(30));
                assertTrue(
                        second.stats().startMode().startsWith("warm restart from snapshot (1000 entries"),
                        second.stats().startMode());
                assertEquals(KEYS / 100, second.stats().recordsApplied(), "only the changed records were fetched");
                assertEquals(table, second.snapshot());
            }
        }
    }

    @Test
    void everyInvalidSnapshotFallsBackToAFullBootstrapAndSaysWhy(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        Namespace ns = BootstrapIT.provision(kafka, 2);
        Map<String, Pod> table;
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            table = fill(kafka, ns, m);
        }
        Path file = dir.resolve(ns.state() + ".snapshot");
        writeSnapshot(kafka, ns, dir);
        byte[] good = Files.readAllBytes(file);

        byte[] corrupt = good.clone();
        corrupt[corrupt.length / 2] ^= 0x40;
        Files.write(file, corrupt);
        expectFullBootstrap(kafka, ns, dir, Clock.systemUTC(), "corrupt file", table);

        Files.write(file, good);
        SnapshotFile.Snapshot s = SnapshotFile.read(file);
        List<SnapshotFile.Part> parts = new ArrayList<>(s.parts());
        SnapshotFile.Part p0 = parts.get(0);
        parts.set(
                0,
                new SnapshotFile.Part(
                        p0.partition(),
                        p0.offsets(),
                        new DigestValue(
                                p0.digest().count(),
                                p0.digest().lane0() + 1,
                                p0.digest().lane1()),
                        p0.entries(),
                        p0.rawFlags(),
                        p0.foreign()));
        // The current format is checked when written: such a file is refused there, the old one kept...
        assertThrows(IOException.class, () -> SnapshotWriter.write(file, s.with(s.format(), parts)));
        assertArrayEquals(good, Files.readAllBytes(file));
        // ...and a file of format 5, whose writer did not check, is re-hashed when loaded.
        SnapshotWriter.write(file, s.with(5, parts));
        expectFullBootstrap(kafka, ns, dir, Clock.systemUTC(), "digest disagreement", table);

        Files.write(file, good);
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
        expectFullBootstrap(kafka, ns, dir, later, "was last caught up", table);

        Files.write(file, good);
        KafkaFixture.get(kafka.admin().deleteTopics(List.of(ns.state())).all());
        Conditions.waitFor(
                "deleted",
                Duration.ofSeconds(30),
                () -> !KafkaFixture.get(kafka.admin().listTopics().names()).contains(ns.state()));
        kafka.createTopic(ns.state(), 2, Map.of("cleanup.policy", "compact"));
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            table = fill(kafka, ns, m);
        }
        expectFullBootstrap(kafka, ns, dir, Clock.systemUTC(), "foreign topic id", table);
    }

    private void writeSnapshot(KafkaFixture kafka, Namespace ns, Path dir) {
        try (StateView<Pod> v = view(kafka, ns, dir, Clock.systemUTC())) {
            v.start().awaitReady(Duration.ofSeconds(30));
        }
    }

    private void expectFullBootstrap(
            KafkaFixture kafka, Namespace ns, Path dir, Clock clock, String reason, Map<String, Pod> table) {
        try (StateView<Pod> v = view(kafka, ns, dir, clock)) {
            v.start().awaitReady(Duration.ofSeconds(30));
            String mode = v.stats().startMode();
            assertTrue(mode.startsWith("full bootstrap: snapshot rejected: ") && mode.contains(reason), mode);
            assertEquals(KEYS, v.stats().recordsApplied(), "a full bootstrap read everything");
            assertEquals(table, v.snapshot());
        }
    }
}
