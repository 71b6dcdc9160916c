package io.statecast.devtools.demo;

import io.statecast.capture.CaptureException;
import io.statecast.capture.PostgresCapture;
import io.statecast.common.ConfigurationException;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo --source postgres}: the pods are rows of a PostgreSQL table ({@link PodRows}), written by a thread
 * of their own in multi-row transactions, and {@link PostgresCapture} (what {@code statecast capture postgres}
 * runs, with the {@code Pod} schema as its value schema) brings every committed row change into the pods
 * namespace. The table, read back with {@code SELECT}, is the one the agents are checked against. Closing
 * stops capture and drops its replication slot and publication (a slot left behind holds the server's WAL);
 * the table stays.
 */
final class PostgresPods implements PodSink {
    private static final Logger log = LoggerFactory.getLogger(PostgresPods.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final PostgresServer pg;
    private final Namespace ns;
    private final Map<String, Object> kafka;
    private final String table;
    private final LongConsumer commitToVisibleMicros;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Map<String, Committed> timed = new ConcurrentHashMap<>();
    private final Thread writer;
    private PostgresCapture capture;
    private long changedRows; // guarded by this: rows the committed statements changed
    private long committedWrites; // guarded by this
    private long queued; // the simulator's thread only
    private long upserts; // the simulator's thread only
    private volatile RuntimeException failure;

    private record Write(String key, Pod pod, boolean timed) {}

    private record Committed(Pod pod, long atNanos) {}

    private PostgresPods(PostgresServer pg, Namespace ns, Map<String, Object> kafka, LongConsumer ryw) {
        this.pg = pg;
        this.ns = ns;
        this.kafka = kafka;
        this.table = ns.name().replace('-', '_').replace('.', '_');
        this.commitToVisibleMicros = ryw;
        this.writer = new Thread(this::writeLoop, "statecast-demo-" + ns + "-postgres");
        writer.setDaemon(true);
    }

    /**
     * Creates the pods table of {@code ns} on {@code pg}. Capture starts at the first {@link #flush()}: its
     * snapshot takes the rows written until then (the initial cluster), streaming the rest.
     *
     * @param ryw gets each timed write's microseconds from its commit to the agent of its node holding it
     * @throws ConfigurationException when the server cannot be reached or refuses the table
     */
    static PostgresPods create(PostgresServer pg, Namespace ns, Map<String, Object> kafka, LongConsumer ryw) {
        PostgresPods p = new PostgresPods(pg, ns, kafka, ryw);
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            s.execute(PodRows.create(p.table));
        } catch (SQLException e) {
            throw new ConfigurationException(
                    "demo --source postgres cannot create its table on " + pg.jdbcUrl() + ": " + e.getMessage(), e);
        }
        p.writer.start();
        return p;
    }

    /** The table's name. */
    String table() {
        return "public." + table;
    }

    @Override
    public CompletableFuture<Receipt> upsert(String key, Pod pod) {
        // every 25th change of a scheduled pod is timed, as the sends' receipts are in the Kafka path
        return enqueue(new Write(key, pod, pod.getNode() != null && ++upserts % 25 == 0));
    }

    @Override
    public CompletableFuture<Receipt> delete(String key) {
        return enqueue(new Write(key, null, false));
    }

    // No receipt: the change reaches Kafka through the database's log, not through a send.
    private CompletableFuture<Receipt> enqueue(Write w) {
        if (failure != null) {
            throw failure;
        }
        queue.add(w);
        queued++;
        return CompletableFuture.completedFuture(null);
    }

    /** Waits until every write is committed and capture has written (or rejected) as many row changes. */
    @Override
    public void flush() {
        long rows = awaitCommitted();
        if (capture == null) {
            capture = startCapture();
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (capture.written() + capture.rejected() < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("capture wrote " + capture.written() + " changes of " + table()
                        + " within " + TIMEOUT + ", " + rows + " rows changed");
            }
            sleep(50); // capture has no callback per change: it is polled, as the demo polls its views
        }
    }

    // Returns how many rows the committed writes changed, once every queued write is committed.
    private synchronized long awaitCommitted() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (committedWrites < queued && failure == null && System.nanoTime() < deadline) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return changedRows;
    }

    private PostgresCapture startCapture() {
        PostgresCapture c = PostgresCapture.builder()
                .jdbcUrl(pg.jdbcUrl())
                .user(pg.user())
                .password(pg.password())
                .table(table())
                .namespace(ns.name())
                .key("namespace", "name")
                .valueSchema(Pod.getClassSchema())
                .offsetsTopic(ns.name() + ".capture-offsets")
                .kafka(kafka)
                .build();
        try {
            return c.start();
        } catch (CaptureException e) {
            if (e.misconfigured()) {
                throw new ConfigurationException("demo --source postgres: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The last change capture wrote to each partition of {@code <ns>.changes} (read back: capture gives none). */
    @Override
    public List<Receipt> lastChanges() {
        Map<Integer, Receipt> last = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka, Map.of())) {
            TopicReader.readAll(
                    c,
                    ns.changes(),
                    Duration.ofSeconds(60),
                    r -> last.put(r.partition(), new Receipt(r.topic(), r.partition(), r.offset(), r.timestamp())));
        }
        return List.copyOf(last.values());
    }

    @Override
    public void seen(String key, Pod pod) {
        Committed t = timed.get(key);
        if (t != null && t.pod.equals(pod) && timed.remove(key, t)) {
            commitToVisibleMicros.accept(Math.max(1, (System.nanoTime() - t.atNanos) / 1000));
        }
    }

    /** The table as it is now: {@code SELECT} of every row, each as the {@code Pod} capture makes of it. */
    @Override
    public Map<String, Map<String, Pod>> byNode() {
        Map<String, Map<String, Pod>> byNode = new HashMap<>();
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + PodRows.COLUMNS + " FROM " + table)) {
            while (r.next()) {
                Pod p = PodRows.read(r);
                if (p.getNode() != null) {
                    byNode.computeIfAbsent(p.getNode(), n -> new HashMap<>())
                            .put(p.getNamespace() + "/" + p.getName(), p);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + table() + ": " + e.getMessage(), e);
        }
        return byNode;
    }

    @Override
    public String latency() {
        return "commit in PostgreSQL -> visible in the agent";
    }

    private void writeLoop() {
        try (Connection c = pg.connect();
                PreparedStatement upsert = c.prepareStatement(PodRows.upsert(table));
                PreparedStatement delete = c.prepareStatement(PodRows.delete(table))) {
            c.setAutoCommit(false);
            List<Write> batch = new ArrayList<>();
            while (!Thread.currentThread().isInterrupted()) {
                batch.add(queue.take());
                queue.drainTo(batch, 199);
                commit(c, upsert, delete, batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            failure = new IllegalStateException("Writing pods to " + table() + " failed: " + e.getMessage(), e);
            log.error("Writing pods to {} failed", table(), e);
        }
    }

    // One database transaction per batch: capture writes its row changes in commit order.
    private void commit(Connection c, PreparedStatement upsert, PreparedStatement delete, List<Write> batch)
            throws SQLException {
        long changed = 0;
        for (Write w : batch) {
            if (w.pod == null) {
                PodRows.bindKey(delete, w.key);
                changed += delete.executeUpdate(); // 0 when the pod is gone already: no row change to capture
            } else {
                PodRows.bind(upsert, w.pod);
                changed += upsert.executeUpdate();
            }
        }
        c.commit();
        long now = System.nanoTime();
        for (Write w : batch) {
            if (w.timed) {
                timed.put(w.key, new Committed(PodRows.normalized(w.pod), now));
            } else {
                timed.remove(w.key);
            }
        }
        synchronized (this) {
            changedRows += changed;
            committedWrites += batch.size();
            notifyAll();
        }
    }

    /** Stops the writer and capture, and drops capture's slot and publication. */
    @Override
    public void close() {
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (capture != null) {
            capture.close();
            dropSlot(capture.slot(), capture.publication());
        }
    }

    private void dropSlot(String slot, String publication) {
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
                    + "'");
            s.execute("DROP PUBLICATION IF EXISTS " + publication);
        } catch (SQLException e) {
            log.warn("Could not drop the replication slot {} on {}: {}", slot, pg.jdbcUrl(), e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
