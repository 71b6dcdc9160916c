package io.statecast.bench.internal;

import io.statecast.capture.PostgresCapture;
import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.testkit.LocalPostgres;
import io.statecast.testkit.PostgresUnavailableException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.postgresql.PGConnection;

/**
 * Change-data capture from PostgreSQL (the machine's binaries, testkit's {@link LocalPostgres}): (1) commit in
 * PostgreSQL → visible in a view's listener, p50/p99 per window at 1,000 and 5,000 rows/s (open loop, one
 * transaction per millisecond holding rate/1000 rows, latency from the intended commit time), next to the same
 * rows through {@code StatecastProducer}; (2) rows/s of the initial snapshot of a 1M-row table (100k with
 * {@code --quick}) into {@code <ns>.changes}, next to {@code COPY (SELECT * FROM t) TO STDOUT} of the same
 * table, interleaved.
 */
public final class CaptureSuite {
    private static final String SUITE = "capture";
    private static final Schema ROW = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"lat\",\"namespace\":\"statecast.capture.public\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":[\"null\",\"string\"],\"default\":null},"
                    + "{\"name\":\"sent\",\"type\":[\"null\",\"long\"],\"default\":null},"
                    + "{\"name\":\"pad\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    private static final String PAD = "x".repeat(150);

    private final io.statecast.testkit.KafkaFixture kafka;
    private final Report report;
    private final Path work;
    private final boolean quick;
    private final int reps;

    public CaptureSuite(io.statecast.testkit.KafkaFixture kafka, Report report, Path work, boolean quick, int reps) {
        this.kafka = kafka;
        this.report = report;
        this.work = work;
        this.quick = quick;
        this.reps = reps;
    }

    public void run() throws Exception {
        LocalPostgres pg;
        try {
            // its own temporary directory: the bench's work directory (mode 700) is closed to the postgres user
            pg = LocalPostgres.builder().build().start();
        } catch (PostgresUnavailableException e) {
            report.note("capture: skipped, no PostgreSQL here: " + e.getMessage());
            return;
        }
        try (pg) {
            for (int rate : new int[] {1_000, 5_000}) {
                latency(pg, rate, true);
                latency(pg, rate, false);
            }
            snapshot(pg);
        }
    }

    // ---- commit → visible ----

    private void latency(LocalPostgres pg, int rate, boolean captured) throws Exception {
        Namespace ns = provision();
        Recorder recorder = new Recorder(3);
        String table = "lat";
        if (captured) {
            sql(pg, "DROP TABLE IF EXISTS lat", "CREATE TABLE lat (id text PRIMARY KEY, sent bigint, pad text)");
        }
        try (Materializer m = materializer(ns);
                StateView<GenericRecord> view = StateView.builder(ROW)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .listener("latency", c -> {
                            if (c.newValue() != null && !c.meta().initial()) {
                                recorder.recordValue(micros(
                                        System.nanoTime() - (Long) c.newValue().get("sent")));
                            }
                        })
                        .build()
                        .start()) {
            view.awaitReady(Duration.ofMinutes(1));
            List<Histogram> windows = captured ? viaCapture(pg, ns, rate, recorder) : viaProducer(ns, rate, recorder);
            String who = captured ? "capture postgres" : "StatecastProducer";
            figures(who + " → materializer → listener, " + rate + " rows/s", windows);
        }
    }

    private List<Histogram> viaCapture(LocalPostgres pg, Namespace ns, int rate, Recorder recorder) throws Exception {
        try (PostgresCapture capture = PostgresCapture.builder()
                        .jdbcUrl(pg.jdbcUrl())
                        .user(pg.user())
                        .password(pg.password())
                        .table("public.lat")
                        .namespace(ns.name())
                        .key("id")
                        .offsetsTopic(ns.name() + ".capture-offsets")
                        .kafka(kafka.clientConfig())
                        .build()
                        .start();
                Connection c = pg.connect();
                PreparedStatement upsert = c.prepareStatement("INSERT INTO lat VALUES (?, ?, ?) ON CONFLICT (id)"
                        + " DO UPDATE SET sent = excluded.sent, pad = excluded.pad")) {
            awaitStreaming(c, capture.slot());
            c.setAutoCommit(false);
            AtomicInteger n = new AtomicInteger();
            return pace(rate, recorder, intended -> {
                for (int i = 0; i < rate / 1000; i++) {
                    upsert.setString(1, "k" + (n.incrementAndGet() % 10_000));
                    upsert.setLong(2, intended);
                    upsert.setString(3, PAD);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                c.commit();
            });
        }
    }

    private List<Histogram> viaProducer(Namespace ns, int rate, Recorder recorder) throws Exception {
        try (StatecastProducer<GenericRecord> producer = StatecastProducer.builder(ROW)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .kafka(Map.of("linger.ms", 0))
                .producerId("bench-capture")
                .build()) {
            AtomicInteger n = new AtomicInteger();
            return pace(rate, recorder, intended -> {
                for (int i = 0; i < rate / 1000; i++) {
                    GenericRecord r = new GenericData.Record(ROW);
                    String key = "k" + (n.incrementAndGet() % 10_000);
                    r.put("id", key);
                    r.put("sent", intended);
                    r.put("pad", PAD);
                    producer.upsert(key, r);
                }
            });
        }
    }

    // Rows committed before the slot streams would reach the view through the snapshot: start after.
    private static void awaitStreaming(Connection c, String slot) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (PreparedStatement s = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            while (true) {
                try (java.sql.ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("slot " + slot + " is not streaming after 2 minutes");
                }
                Thread.sleep(100);
            }
        }
    }

    /** One step every millisecond at intended times start + i ms; a warm-up, then {@code reps} windows. */
    private List<Histogram> pace(int rate, Recorder recorder, Step step) throws Exception {
        Duration warmUp = Duration.ofSeconds(quick ? 10 : 15);
        Duration window = Duration.ofSeconds(quick ? 3 : 6);
        long start = System.nanoTime();
        long next = start + warmUp.toNanos();
        List<Histogram> out = new ArrayList<>();
        recorder.reset();
        for (long i = 0; out.size() < reps; i++) {
            long intended = start + i * 1_000_000L;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (intended >= next) {
                Histogram h = recorder.getIntervalHistogram();
                if (next > start + warmUp.toNanos()) {
                    out.add(h);
                }
                next += window.toNanos();
            }
            step.run(intended);
        }
        Thread.sleep(2_000); // what the last window sent lands
        Histogram last = out.get(out.size() - 1).copy();
        last.add(recorder.getIntervalHistogram());
        out.set(out.size() - 1, last);
        return out;
    }

    /** One paced step: the rows intended at this time. */
    private interface Step {
        void run(long intended) throws Exception;
    }

    private void figures(String contender, List<Histogram> windows) {
        for (double p : new double[] {50.0, 99.0}) {
            report.add(
                    SUITE,
                    contender,
                    "p" + (int) p,
                    "ms",
                    windows.stream()
                            .map(h -> h.getValueAtPercentile(p) / 1000.0)
                            .toList());
        }
        report.add(
                SUITE,
                contender,
                "rows seen per window",
                "count",
                windows.stream().map(h -> (double) h.getTotalCount()).toList());
    }

    // ---- initial snapshot ----

    private void snapshot(LocalPostgres pg) throws Exception {
        int rows = quick ? 100_000 : 1_000_000;
        sql(
                pg,
                "DROP TABLE IF EXISTS snap",
                "CREATE TABLE snap (id bigint PRIMARY KEY, name text, node text, phase text, pad text)",
                "INSERT INTO snap SELECT g, 'pod-' || g, 'node-' || (g % 100), 'Running', repeat('p', 150)"
                        + " FROM generate_series(1, " + rows + ") g",
                "VACUUM ANALYZE snap");
        List<Double> copy = new ArrayList<>();
        List<Double> capture = new ArrayList<>();
        for (int rep = 0; rep <= reps; rep++) { // the first round is the warm-up
            double c = copyRowsPerSecond(pg, rows);
            double s = snapshotRowsPerSecond(pg, rows, rep);
            if (rep > 0) {
                copy.add(c);
                capture.add(s);
            }
        }
        String what = " of a " + rows + "-row table";
        report.add(SUITE, "COPY (SELECT * FROM t) TO STDOUT" + what, "rows/s", "rows/s", copy);
        report.add(
                SUITE, "capture postgres initial snapshot" + what + " into <ns>.changes", "rows/s", "rows/s", capture);
        report.note(String.format(
                "capture: the initial snapshot writes %.0f rows/s into <ns>.changes, %.3fx COPY TO STDOUT (%.0f rows/s):"
                        + " each row goes through Debezium's JDBC read and Connect struct, an Avro encoding, a ChangeEvent"
                        + " and an exactly-once Kafka transaction.",
                Stats.of(capture).median(),
                Stats.of(capture).median() / Stats.of(copy).median(),
                Stats.of(copy).median()));
    }

    private static double copyRowsPerSecond(LocalPostgres pg, int rows) throws Exception {
        try (Connection c = pg.connect()) {
            long t0 = System.nanoTime();
            long copied = c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyOut("COPY (SELECT * FROM snap) TO STDOUT", OutputStream.nullOutputStream());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (copied != rows) {
                throw new IllegalStateException("COPY gave " + copied + " rows, expected " + rows);
            }
            return rows / seconds;
        }
    }

    private double snapshotRowsPerSecond(LocalPostgres pg, int rows, int rep) throws Exception {
        Namespace ns = provision();
        String slot = "bench_snap_" + rep;
        long t0 = System.nanoTime();
        try (PostgresCapture capture = PostgresCapture.builder()
                .jdbcUrl(pg.jdbcUrl())
                .user(pg.user())
                .password(pg.password())
                .table("public.snap")
                .namespace(ns.name())
                .key("id")
                .slot(slot)
                .offsetsTopic(ns.name() + ".capture-offsets")
                .kafka(kafka.clientConfig())
                .build()
                .start()) {
            long deadline = t0 + Duration.ofMinutes(20).toNanos();
            while (capture.written() < rows) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("snapshot wrote " + capture.written() + " of " + rows);
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return rows / seconds;
        } finally {
            sql(pg, "SELECT pg_drop_replication_slot('" + slot + "')", "DROP PUBLICATION IF EXISTS " + slot);
        }
    }

    // ---- plumbing ----

    private Namespace provision() {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(6));
        }
        return ns;
    }

    private Materializer materializer(Namespace ns) {
        Map<String, Object> mc = new HashMap<>(kafka.clientConfig());
        mc.put(MaterializerConfig.NAMESPACE, ns.name());
        mc.put(MaterializerConfig.HTTP_PORT, 0);
        mc.put(
                MaterializerConfig.STATE_DIR,
                work.resolve("capture-" + ns.name()).toString());
        return new Materializer(new MaterializerConfig(mc)).start();
    }

    private static void sql(LocalPostgres pg, String... statements) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static long micros(long nanos) {
        return Math.min(120_000_000L, Math.max(0, nanos / 1000));
    }
}
