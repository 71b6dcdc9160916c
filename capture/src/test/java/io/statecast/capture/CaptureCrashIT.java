package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SourcePosition;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.LocalPostgres;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Capture survives being killed (SIGKILL, a JVM of its own) and PostgreSQL restarting, without gaps or duplicates. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class CaptureCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCaptureKilledMidStreamAndRestartedLeavesTheViewEqualAndVersionsGapless(KafkaFixture kafka, PostgresServer pg)
            throws Exception {
        Namespace ns = CaptureFixture.provision(kafka, 3);
        String table = "pods_" + ns.name().replace('-', '_');
        sql(pg, String.format(PodsWorkload.CREATE, table));
        PodsWorkload workload = new PodsWorkload(pg, table, 7);
        workload.run(200);
        List<String> atSnapshot = workload.live();
        workload.resetCounts();
        CompletableFuture<Integer> writes;
        AtomicBoolean stop = new AtomicBoolean();
        try (Materializer m = CaptureFixture.materializer(kafka, ns, Map.of())) {
            // The first capture flushes its offsets every 30 s: it is killed while Kafka holds changes its
            // flushed offsets do not cover, which the restart must then replay.
            Process first = spawn(pg, kafka, table, ns, Duration.ofSeconds(30));
            try {
                CaptureFixture.awaitSnapshot(kafka, ns, pg, table);
                int before = kafka.readToEnd(ns.state()).size();
                // The writes go on across the kill and the restart, so that capture is killed mid-stream: with a
                // fixed batch it could have written and flushed every change before the kill (nothing to replay).
                writes = CompletableFuture.supplyAsync(() -> writeUntil(workload, stop));
                Awaitility.await("the first capture wrote a good part of the changes, not all of them flushed")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> kafka.readToEnd(ns.state()).size() > before + 1000
                                && newestCommitLsn(kafka, ns) > flushedCommitLsn(kafka, offsets(ns)));
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            }
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
            assertTrue(!writes.isDone(), "the writes were still going on when capture was killed");
            long flushed = flushedCommitLsn(kafka, offsets(ns));
            long written = newestCommitLsn(kafka, ns);
            assertTrue(written > flushed, "Kafka holds changes up to " + written + ", the offsets cover " + flushed);
            int killedAt = kafka.readToEnd(ns.state()).size();
            Process second = spawn(pg, kafka, table, ns, Duration.ofSeconds(1));
            try {
                Awaitility.await("the restarted capture streams the writes that go on")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> kafka.readToEnd(ns.state()).size() > killedAt + 1000);
                stop.set(true);
                writes.get(180, TimeUnit.SECONDS);
                workload.run(300);
                CapturePostgresIT.awaitViewEquals(kafka, ns, CaptureFixture.table(pg, table, List.of("id")));
                CaptureFixture.assertOneVersionPerRowChange(kafka, ns, workload.expectedVersions(atSnapshot));
                // Replays happened (the restarted engine resent what followed its last flushed offset), and every
                // one was dropped: not a version, not a DELETE_OF_ABSENT_KEY rejection of a replayed delete.
                assertTrue(m.counts().replays() > 0, "the restart replayed nothing: this run proved nothing");
                assertEquals(List.of(), CaptureFixture.rejections(kafka, ns));
                CaptureFixture.assertOffsetsInACompactedTopic(
                        kafka, offsets(ns), "statecast_" + ns.name().replace('-', '_'));
                System.out.printf(
                        "capture crash: %d replayed changes dropped by the materializer%n",
                        m.counts().replays());
            } finally {
                second.destroyForcibly();
            }
        }
    }

    @Test
    void captureResumesAfterPostgresRestartsMidStream(KafkaFixture kafka) {
        Assumptions.assumeTrue(LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null);
        Namespace ns = CaptureFixture.provision(kafka, 2);
        try (LocalPostgres pg = LocalPostgres.builder().build().start()) {
            sql(pg, String.format(PodsWorkload.CREATE, "pods"));
            PodsWorkload workload = new PodsWorkload(pg, "pods", 11);
            workload.run(100);
            List<String> atSnapshot = workload.live();
            workload.resetCounts();
            try (Materializer m = CaptureFixture.materializer(kafka, ns, Map.of());
                    PostgresCapture capture = CaptureFixture.capture(pg, kafka, "public.pods", ns)
                            .key("id")
                            .build()
                            .start()) {
                CaptureFixture.awaitSnapshot(kafka, ns, pg, "pods");
                workload.run(500);
                Awaitility.await("capture streams")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> capture.written() > 500);
                pg.restart();
                workload.run(500);
                CapturePostgresIT.awaitViewEquals(kafka, ns, CaptureFixture.table(pg, "pods", List.of("id")));
                CaptureFixture.assertOneVersionPerRowChange(kafka, ns, workload.expectedVersions(atSnapshot));
                assertEquals(List.of(), CaptureFixture.rejections(kafka, ns));
            }
        }
    }

    // Random changes in transactions until told to stop; returns how many transactions.
    private static int writeUntil(PodsWorkload workload, AtomicBoolean stop) {
        int transactions = 0;
        while (!stop.get()) {
            transactions += workload.run(50);
        }
        return transactions;
    }

    private static String offsets(Namespace ns) {
        return ns.name() + ".capture-offsets";
    }

    // The commit LSN of the newest change Kafka holds for good (read_committed).
    private static long newestCommitLsn(KafkaFixture kafka, Namespace ns) {
        return kafka.readToEnd(ns.changes()).stream()
                .map(r -> Envelopes.changeEvent().decode(r.value()).getSource())
                .filter(Objects::nonNull)
                .mapToLong(SourcePosition::getPosition)
                .max()
                .orElse(-1);
    }

    // The commit LSN of the engine's last flushed offset (Debezium's lsn_commit, else lsn), -1 before any.
    private static long flushedCommitLsn(KafkaFixture kafka, String topic) throws IOException {
        long lsn = -1;
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(topic)) {
            if (r.value() != null) {
                JsonNode offset = JSON.readTree(r.value());
                lsn = offset.has("lsn_commit")
                        ? offset.get("lsn_commit").asLong()
                        : offset.get("lsn").asLong();
            }
        }
        return lsn;
    }

    private static Process spawn(PostgresServer pg, KafkaFixture kafka, String table, Namespace ns, Duration flush)
            throws IOException {
        Path log =
                Files.createTempFile(Path.of(System.getProperty("statecast.test.dir", "target")), "capture-", ".log");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CaptureProcess.class.getName(),
                        pg.jdbcUrl(),
                        pg.user(),
                        pg.password(),
                        "public." + table,
                        ns.name(),
                        "id",
                        kafka.bootstrapServers(),
                        offsets(ns),
                        Long.toString(flush.toMillis()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        System.out.println("capture process " + p.pid() + " logs to " + log);
        return p;
    }
}
