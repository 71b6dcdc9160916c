package io.statecast.bench;

import io.statecast.bench.internal.BootstrapSuite;
import io.statecast.bench.internal.CaptureSuite;
import io.statecast.bench.internal.Data;
import io.statecast.bench.internal.LatencySuite;
import io.statecast.bench.internal.MaterializerSuite;
import io.statecast.bench.internal.MicroSuite;
import io.statecast.bench.internal.PodsMemorySuite;
import io.statecast.bench.internal.Profiler;
import io.statecast.bench.internal.Report;
import io.statecast.bench.internal.WarmRestartSuite;
import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import io.statecast.consumer.StateView;
import io.statecast.testkit.Dirs;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;

/**
 * {@code statecast bench [SUITE…] [--quick] [--out DIR] [--profile DIR]}: runs the suites against an embedded broker in
 * this JVM and writes DIR/benchmarks.json and DIR/benchmarks.md. Suites: bootstrap, digest,
 * warm-restart, herd, latency, materializer, pods-memory, micro (JMH), slices, capture (PostgreSQL). Run it with {@code -Xms = -Xmx} (bin/statecast bench forks such a JVM).
 */
public final class Main {
    private static final List<String> ALL = List.of(
            "bootstrap",
            "digest",
            "warm-restart",
            "herd",
            "latency",
            "materializer",
            "pods-memory",
            "micro",
            "slices",
            "capture");
    private final boolean quick;
    private final int reps;
    private final Report report;
    private final Path work;
    private final Profiler profiler;
    private KafkaFixture kafka;

    private Main(boolean quick, String command, Path profiles) throws Exception {
        this.quick = quick;
        this.profiler = Profiler.into(profiles);
        this.reps = 5;
        this.report = new Report(command);
        this.work = Files.createTempDirectory("statecast-bench-");
        // The broker's logs, state stores and snapshots of a full run take about 12 GB: never leave them behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(work), "statecast-bench-cleanup"));
    }

    private static void deleteRecursively(Path root) {
        try {
            Dirs.deleteRecursively(root);
        } catch (java.io.UncheckedIOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> suites = new ArrayList<>();
        boolean quick = false;
        Path out = Path.of("docs");
        Path profiles = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                case "--profile":
                    profiles = Path.of(args[++i]);
                    break;
                default:
                    suites.add(args[i]);
            }
        }
        if (suites.isEmpty()) {
            suites = ALL;
        }
        Main m = new Main(quick, "bin/statecast bench " + String.join(" ", args), profiles);
        try (KafkaFixture kafka = KafkaFixture.of(EmbeddedKafkaCluster.builder()
                .dataDir(m.work.resolve("kafka"))
                .build()
                .start())) {
            m.kafka = kafka;
            for (String s : suites) {
                System.err.println("suite " + s + (quick ? " (quick)" : ""));
                m.run(s);
            }
        }
        m.report.note(
                "The digest suite times the digest loop directly instead of a bootstrap with the digest switched off.");
        if (profiles != null) {
            m.report.profiles(profiles);
        }
        m.report.write(out);
        System.err.println("wrote " + out.resolve("benchmarks.md") + " and " + out.resolve("benchmarks.json"));
        System.exit(0);
    }

    private void run(String suite) throws Exception {
        switch (suite) {
            case "bootstrap":
                bootstrap();
                break;
            case "digest":
                digest();
                break;
            case "warm-restart":
                warmRestart();
                break;
            case "herd":
                herd();
                break;
            case "latency":
                new LatencySuite(kafka, report, work, quick, reps).run();
                break;
            case "materializer":
                new MaterializerSuite(kafka, report, work, quick, reps, profiler).run();
                break;
            case "pods-memory":
                new PodsMemorySuite(kafka, report, quick, reps).run();
                break;
            case "capture":
                new CaptureSuite(kafka, report, work, quick, reps).run();
                break;
            case "micro":
                new MicroSuite(report, quick, reps).run();
                break;
            case "slices":
                new io.statecast.bench.internal.SlicesSuite(kafka, report, work, quick, reps, profiler).run();
                break;
            case "slices-materializer": // the materializer part of slices alone
                new io.statecast.bench.internal.SlicesSuite(kafka, report, work, quick, reps, profiler).throughput();
                break;
            default:
                throw new IllegalArgumentException("unknown suite " + suite + "; suites: " + String.join(" ", ALL));
        }
    }

    private int records() {
        return quick ? 100_000 : 1_000_000;
    }

    private String dataTopic;

    private String data() {
        if (dataTopic == null) {
            dataTopic = "bench.data";
            Data.create(kafka, dataTopic);
            Data.write(kafka, dataTopic, 0, records(), 1);
        }
        return dataTopic;
    }

    // ---- bootstrap ----

    private void bootstrap() throws Exception {
        new BootstrapSuite(kafka, report, work, reps, profiler).run(data(), records());
    }

    private double median(String suite, String contender, String figure) {
        return report.median(suite, contender, figure);
    }

    // ---- digest ----

    private void digest() {
        int n = records();
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        Random r = new Random(2);
        for (int i = 0; i < n; i++) {
            keys[i] = Data.key(i);
            values[i] = Data.value(r);
        }
        List<Double> seconds = new ArrayList<>();
        List<Double> v1 = new ArrayList<>();
        for (int rep = 0; rep <= reps; rep++) { // the two versions interleaved, a warm-up round first
            double s2 = digestSeconds(EntryHash.V2, keys, values);
            double s1 = digestSeconds(EntryHash.V1, keys, values);
            if (rep > 0) {
                seconds.add(s2);
                v1.add(s1);
            }
        }
        report.add("digest", "Digest.add over every entry", "time", "s", seconds);
        report.add(
                "digest",
                "Digest.add per entry",
                "time",
                "ns",
                seconds.stream().map(s -> s * 1e9 / n).toList());
        report.add(
                "digest",
                "Digest.add per entry, version 1",
                "time",
                "ns",
                v1.stream().map(s -> s * 1e9 / n).toList());
        boolean haveBootstrap = report.figures().stream()
                .anyMatch(f -> f.suite().equals("bootstrap") && f.contender().equals("Statecast view (cold)"));
        if (haveBootstrap) {
            double share = io.statecast.bench.internal.Stats.of(seconds).median()
                    / median("bootstrap", "Statecast view (cold)", "time to ready");
            report.note(String.format(
                    "digest: upkeep (digest version 2, XXH3-128 of key and value in place) is %.1f%% of the Statecast "
                            + "cold bootstrap time (target <= 5%%: %s); version 1 (MurmurHash3 of a length-prefixed copy) "
                            + "costs %.0f ns per entry against %.0f. Its share of the view's poll thread: profiles/README.md.",
                    100 * share,
                    share <= 0.05 ? "met" : "missed",
                    median("digest", "Digest.add per entry, version 1", "time"),
                    median("digest", "Digest.add per entry", "time")));
        }
    }

    private static double digestSeconds(EntryHash hash, byte[][] keys, byte[][] values) {
        Digest d = new Digest(hash);
        long t0 = System.nanoTime();
        for (int i = 0; i < keys.length; i++) {
            d.add(keys[i], values[i]);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---- warm restart ----

    private void warmRestart() throws Exception {
        new WarmRestartSuite(kafka, report, work, reps, profiler).run(records());
    }

    // ---- herd ----

    private void herd() throws Exception {
        String topic = "bench.herd";
        int n = quick ? 20_000 : 100_000;
        Data.create(kafka, topic);
        Data.write(kafka, topic, 0, n, 4);
        int[] sizes = quick ? new int[] {1, 10} : new int[] {1, 10, 50};
        for (int size : sizes) {
            for (String mode : List.of("cold", "cold + 2 s splay", "warm")) {
                List<Double> seconds = new ArrayList<>();
                List<Double> megabytes = new ArrayList<>();
                int runs = quick ? 2 : 3;
                for (int rep = 0; rep < runs; rep++) {
                    List<Path> dirs = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        dirs.add(Files.createTempDirectory(work, "herd"));
                    }
                    boolean warm = mode.equals("warm");
                    if (warm) {
                        herdRun(topic, size, dirs, false); // prime the snapshots
                        Data.write(kafka, topic, 0, n / 100, 200 + rep); // 1% changed while they were down
                    }
                    double[] r = herdRun(topic, size, warm ? dirs : null, mode.contains("splay"));
                    seconds.add(r[0]);
                    megabytes.add(r[1] / 1e6);
                }
                report.add(
                        "herd",
                        size + " views, " + mode + " (" + n + " entries)",
                        "time until all ready",
                        "s",
                        seconds);
                report.add(
                        "herd",
                        size + " views, " + mode + " (" + n + " entries)",
                        "bytes fetched, all views",
                        "MB",
                        megabytes);
            }
        }
    }

    // Starts `size` views at once (with snapshots in dirs when not null); returns {seconds until all ready, bytes
    // fetched}.
    private double[] herdRun(String topic, int size, List<Path> dirs, boolean splay) {
        List<StateView<GenericRecord>> views = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < size; i++) {
            StateView.Builder<GenericRecord> b =
                    StateView.builder(Data.BLOB).topic(topic).kafka(kafka.clientConfig());
            if (dirs != null) {
                b.snapshots(dirs.get(i), java.time.Duration.ofHours(1));
            }
            if (splay) {
                b.startupSplay(java.time.Duration.ofSeconds(2), i);
            }
            views.add(b.build().start());
        }
        views.forEach(v -> v.awaitReady(java.time.Duration.ofMinutes(5)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double bytes = views.stream().mapToLong(v -> v.stats().bytesFetched()).sum();
        views.forEach(StateView::close);
        return new double[] {seconds, bytes};
    }
}
