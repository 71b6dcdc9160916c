package io.statecast.bench.internal;

import com.netflix.hollow.core.read.engine.HollowBlobReader;
import com.netflix.hollow.core.read.engine.HollowReadStateEngine;
import com.netflix.hollow.core.write.HollowBlobWriter;
import com.netflix.hollow.core.write.HollowWriteStateEngine;
import com.netflix.hollow.core.write.objectmapper.HollowObjectMapper;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import io.statecast.testkit.KafkaFixture;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;

/**
 * Warm restart: per round, a cold bootstrap that leaves a snapshot, 1% of the keys changed while the view
 * is down, the warm restart from that snapshot, and Netflix Hollow reading a snapshot blob of the same
 * entries from a file (the peer's restart path: no broker, no verification); then the same cold bootstrap
 * and warm restart each in a new JVM, as a restarted service runs them (code not yet compiled). Interleaved
 * rounds, one warm-up round; profiles from extra rounds (of this JVM's views only).
 */
public final class WarmRestartSuite {
    static final String COLD = "Statecast cold bootstrap";
    static final String WARM = "Statecast warm restart (1% changed)";
    static final String HOLLOW = "Hollow 7.14.23 snapshot load (same entries, from a file)";
    static final String FRESH_COLD = "Statecast cold bootstrap, new JVM";
    static final String FRESH_WARM = "Statecast warm restart (1% changed), new JVM";
    static final String SAVE = "Statecast periodic snapshot save";
    static final String SAVE_AT_CLOSE = "Statecast snapshot save at close (on the poll thread)";

    private final KafkaFixture kafka;
    private final Report report;
    private final Path work;
    private final int reps;
    private final Profiler profiler;

    public WarmRestartSuite(KafkaFixture kafka, Report report, Path work, int reps, Profiler profiler) {
        this.kafka = kafka;
        this.report = report;
        this.work = work;
        this.reps = reps;
        this.profiler = profiler;
    }

    /** Runs the suite over a fresh topic of {@code n} records. */
    public void run(int n) throws Exception {
        String topic = "bench.warm";
        Data.create(kafka, topic);
        Data.write(kafka, topic, 0, n, 3);
        Path blob = hollowBlob(n, 3);
        Interleaved rounds = new Interleaved();
        for (int round = 0; round <= reps; round++) {
            round(topic, n, round, blob, round == 0 ? new Interleaved() : rounds, false);
        }
        for (String c : new String[] {COLD, WARM, HOLLOW, FRESH_COLD, FRESH_WARM, SAVE, SAVE_AT_CLOSE}) {
            rounds.report(report, "warm-restart", c, 0);
        }
        report.add("warm-restart", WARM, "records read", "records", rounds.get(WARM + " records", "n"));
        for (int round = 0; round < 3 && profiler.enabled(); round++) {
            round(topic, n, reps + 1 + round, blob, new Interleaved(), true);
        }
        profiler.finish();
        notes();
    }

    private void round(String topic, int n, int round, Path blob, Interleaved into, boolean profile) throws Exception {
        Path dir = Files.createTempDirectory(work, "snap");
        long t0 = System.nanoTime();
        StateView<GenericRecord> first = Contenders.statecast(kafka, topic, dir);
        into.add(COLD, "time to ready", (System.nanoTime() - t0) / 1e9);
        first.close(); // writes the snapshot
        int from = round * (n / 100) % n;
        Data.write(kafka, topic, from, from + n / 100, 100 + round); // 1% changed
        if (profile) {
            profiler.start("warm restart " + WARM);
        }
        long t1 = System.nanoTime();
        StateView<GenericRecord> second = Contenders.statecast(kafka, topic, dir);
        into.add(WARM, "time to ready", (System.nanoTime() - t1) / 1e9);
        profiler.stop();
        if (!second.stats().startMode().startsWith("warm restart")) {
            throw new IllegalStateException(
                    "expected a warm restart: " + second.stats().startMode());
        }
        into.add(WARM + " records", "n", second.stats().recordsApplied());
        second.close();
        if (!profile) {
            saves(topic, dir, into);
        }
        long t2 = System.nanoTime();
        HollowReadStateEngine hollow = readHollow(blob);
        into.add(HOLLOW, "time to ready", (System.nanoTime() - t2) / 1e9);
        if (hollow.getTypeState("HollowEntry").maxOrdinal() + 1 != n) {
            throw new IllegalStateException(
                    "Hollow read " + (hollow.getTypeState("HollowEntry").maxOrdinal() + 1));
        }
        if (!profile) {
            inNewJvms(topic, n, round, into);
        }
    }

    // A view that saves every second: how long its periodic save held the poll thread (freezing the tables)
    // and took to write, against the save at close, written on the poll thread as every save was before.
    private void saves(String topic, Path dir, Interleaved into) throws InterruptedException {
        StateView<GenericRecord> v = Contenders.statecast(kafka, topic, dir, Duration.ofSeconds(1));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (v.stats().snapshots().saved() < 1) {
            if (System.nanoTime() > deadline || v.stats().snapshots().failed() > 0) {
                throw new IllegalStateException(
                        "no periodic snapshot: " + v.stats().snapshots());
            }
            Thread.sleep(20);
        }
        ViewStats.Snapshots periodic = v.stats().snapshots();
        into.add(SAVE, "poll thread held", periodic.lastPause().toNanos() / 1e9);
        into.add(SAVE, "time to write", periodic.lastWrite().toNanos() / 1e9);
        v.close();
        ViewStats.Snapshots atClose = v.stats().snapshots();
        if (atClose.saved() < 2 || atClose.failed() > 0) {
            throw new IllegalStateException("the snapshot at close was not written: " + atClose);
        }
        into.add(SAVE_AT_CLOSE, "poll thread held", atClose.lastPause().toNanos() / 1e9);
    }

    // A cold bootstrap in a new JVM leaves its snapshot; another 1% changes; the warm restart in another.
    private void inNewJvms(String topic, int n, int round, Interleaved into) throws Exception {
        Path dir = Files.createTempDirectory(work, "fresh");
        FreshJvmView.Start cold = FreshJvmView.run(kafka.bootstrapServers(), topic, dir);
        expect(cold, "full bootstrap");
        into.add(FRESH_COLD, "time to ready", cold.seconds());
        int from = (round * (n / 100) + n / 2) % n;
        Data.write(kafka, topic, from, from + n / 100, 1_000 + round);
        FreshJvmView.Start warm = FreshJvmView.run(kafka.bootstrapServers(), topic, dir);
        expect(warm, "warm restart");
        into.add(FRESH_WARM, "time to ready", warm.seconds());
    }

    private static void expect(FreshJvmView.Start s, String mode) {
        if (!s.startMode().startsWith(mode)) {
            throw new IllegalStateException("expected " + mode + ", the new JVM's view started by " + s.startMode());
        }
    }

    private void notes() {
        double cold = report.median("warm-restart", COLD, "time to ready");
        double warm = report.median("warm-restart", WARM, "time to ready");
        double hollow = report.median("warm-restart", HOLLOW, "time to ready");
        double freshCold = report.median("warm-restart", FRESH_COLD, "time to ready");
        double freshWarm = report.median("warm-restart", FRESH_WARM, "time to ready");
        double held = report.median("warm-restart", SAVE, "poll thread held");
        double heldAtClose = report.median("warm-restart", SAVE_AT_CLOSE, "poll thread held");
        report.note(String.format(
                "warm-restart, saving: a periodic snapshot held the poll thread %.1f ms (its tables' picture frozen; "
                        + "%.2f s to write on its own thread), %.3fx the %.2f s of the save at close, written on the "
                        + "poll thread as every save was before.",
                held * 1e3, report.median("warm-restart", SAVE, "time to write"), held / heldAtClose, heldAtClose));
        report.note(String.format(
                "warm-restart: restart from snapshot takes %.2fx the cold bootstrap (target <= 0.15x: %s) and %.2fx "
                        + "Hollow's snapshot load of the same entries (target <= 1x: %s).",
                warm / cold,
                BootstrapNotes.verdict(warm / cold <= 0.15),
                warm / hollow,
                BootstrapNotes.verdict(warm <= hollow)));
        report.note(String.format(
                "warm-restart in new JVMs (as a restarted service): the warm restart takes %.2fx the cold bootstrap "
                        + "(%.3f s against %.3f s).",
                freshWarm / freshCold, freshWarm, freshCold));
        report.note(
                "warm-restart, why: the restart streams the snapshot into presized tables once, computing its CRC on "
                        + "the way; since snapshot format 6 the saved digests are checked when the file is written, not by "
                        + "re-hashing every entry at load. What is left on its thread is the table's key hash and probing "
                        + "(about a third in the profile, profiles/README.md), reading the file (a quarter) and each entry's "
                        + "array. In a new JVM the Kafka clients' start-up (about 0.7 s) and code not yet compiled "
                        + "weigh more than the file: reading it ahead on another thread or on two threads gained nothing "
                        + "measurable on two cores (docs/benchmarks.md, 2026-12-03).");
    }

    private static HollowReadStateEngine readHollow(Path blob) throws Exception {
        HollowReadStateEngine read = new HollowReadStateEngine();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(blob), 1 << 16)) {
            new HollowBlobReader(read).readSnapshot(in);
        }
        return read;
    }

    // The entries the topic was written with (Data.write with the same seed), as a Hollow snapshot file.
    private Path hollowBlob(int n, long seed) throws Exception {
        HollowWriteStateEngine write = new HollowWriteStateEngine();
        HollowObjectMapper mapper = new HollowObjectMapper(write);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            mapper.add(new HollowEntry(Data.key(i), Data.value(r)));
        }
        write.prepareForWrite();
        Path file = work.resolve("hollow-warm.blob");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            new HollowBlobWriter(write).writeSnapshot(out);
        }
        return file;
    }

    /** One entry as a Hollow-mapped POJO: key and value bytes. */
    @SuppressWarnings("unused")
    static final class HollowEntry {
        byte[] key;
        byte[] value;

        HollowEntry(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }
    }
}
