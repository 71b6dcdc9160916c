package io.statecast.bench.internal;

import io.statecast.testkit.KafkaFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Cold bootstrap of the same topic by every contender: the raw read (the wire limit), a naive map, a
 * Statecast view (verification on), the GlobalKTable variants and KCache. One warm-up round, then
 * {@code reps} rounds that each load every contender once, in an order rotated per round, so a passing
 * disturbance of the shared machine reaches every contender alike. Profiles, when asked for, come from
 * extra rounds after the measured ones.
 */
public final class BootstrapSuite {
    /** The contender that is ours, named in the report and the notes. */
    public static final String VIEW = "Statecast view (cold)";

    static final String RAW = "raw KafkaConsumer (wire limit)";
    static final String KCACHE = "KCache 5.2.3 (in-memory)";

    private final KafkaFixture kafka;
    private final Report report;
    private final Path work;
    private final int reps;
    private final Profiler profiler;

    /** A contender: loading returns what releases it; heap measured when {@code heap}. */
    record Contender(String name, boolean heap, Callable<AutoCloseable> load) {}

    public BootstrapSuite(KafkaFixture kafka, Report report, Path work, int reps, Profiler profiler) {
        this.kafka = kafka;
        this.report = report;
        this.work = work;
        this.reps = reps;
        this.profiler = profiler;
    }

    /** Runs every contender over {@code topic} ({@code n} records). */
    public void run(String topic, int n) throws Exception {
        List<Contender> all = contenders(topic);
        double kv = Data.KEY_BYTES + Data.VALUE_BYTES;
        Interleaved rounds = new Interleaved();
        for (Contender c : all) {
            load(c).close(); // warm-up
        }
        for (int round = 0; round < reps; round++) {
            for (int i = 0; i < all.size(); i++) {
                Contender c = all.get((i + round) % all.size());
                long before = c.heap() ? Heap.used() : 0;
                long t0 = System.nanoTime();
                AutoCloseable held = load(c);
                rounds.add(c.name(), "time to ready", (System.nanoTime() - t0) / 1e9);
                if (c.heap()) {
                    rounds.add(c.name(), "retained heap per entry", (Heap.used() - before) / (double) n);
                }
                held.close();
            }
        }
        for (Contender c : all) {
            rounds.report(report, "bootstrap", c.name(), kv);
        }
        profile(all, RAW, VIEW, KCACHE);
        new BootstrapNotes(report, kv).write();
    }

    private List<Contender> contenders(String topic) {
        List<Contender> all = new ArrayList<>();
        all.add(new Contender(RAW, true, () -> Contenders.rawRead(kafka, topic)));
        all.add(new Contender("naive HashMap<Bytes, byte[]>", true, () -> Contenders.naiveMap(kafka, topic)));
        all.add(new Contender(VIEW, true, () -> Contenders.statecast(kafka, topic, null)));
        for (boolean rocks : new boolean[] {false, true}) {
            for (boolean fast : new boolean[] {false, true}) {
                String name = "GlobalKTable " + (rocks ? "RocksDB" : "in-memory")
                        + (fast ? " fetch.max.wait=10" : " default");
                all.add(new Contender(name, !rocks, () -> {
                    var s = Contenders.globalKTable(kafka, topic, rocks, fast, Files.createTempDirectory(work, "gkt"));
                    return s::close;
                }));
            }
        }
        all.add(new Contender(KCACHE, true, () -> {
            var cache = Contenders.kcache(kafka, topic);
            return () -> Contenders.close(cache);
        }));
        return all;
    }

    private static AutoCloseable load(Contender c) throws Exception {
        return c.load().call();
    }

    // Three loads per profiled contender, outside the timed rounds.
    private void profile(List<Contender> all, String... names) throws Exception {
        for (String name : names) {
            Contender c =
                    all.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            for (int i = 0; i < 3; i++) {
                profiler.start("bootstrap " + name);
                AutoCloseable held = load(c);
                profiler.stop();
                held.close();
            }
            profiler.finish();
        }
    }
}
