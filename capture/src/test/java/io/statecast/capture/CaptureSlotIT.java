package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a stopped capture costs the database (docs/capture.md): its slot keeps the WAL from its confirmed LSN on, as
 * the monitoring query of the docs shows; a restarted capture catches up and the confirmed LSN follows.
 */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CaptureSlotIT {
    private static final int ROWS = 30_000;

    @Test
    void aStoppedCapturesSlotRetainsTheWalUntilARestartedCaptureConfirmsIt(KafkaFixture kafka, PostgresServer pg)
            throws SQLException {
        Namespace ns = CaptureFixture.provision(kafka, 2);
        String table = "slot_" + ns.name().replace('-', '_');
        sql(pg, "CREATE TABLE " + table + " (id int PRIMARY KEY, v text)");
        try (Materializer m = CaptureFixture.materializer(kafka, ns, Map.of())) {
            String slot;
            try (PostgresCapture capture = start(pg, kafka, table, ns)) {
                slot = capture.slot();
                CaptureFixture.awaitSlot(pg, slot);
                sql(pg, "INSERT INTO " + table + " VALUES (0, 'first')");
                awaitState(kafka, ns, 1);
            }
            Awaitility.await("slot " + slot + " inactive once capture is closed")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> !bool(pg, "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
            long before = number(pg, "SELECT pg_current_wal_lsn() - '0/0'");
            sql(
                    pg,
                    "INSERT INTO " + table + " SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, " + ROWS
                            + ") g",
                    "CHECKPOINT");
            long after = number(pg, "SELECT pg_current_wal_lsn() - '0/0'");
            assertTrue(after - before > 4_000_000, "the inserts wrote " + (after - before) + " bytes of WAL");
            System.out.printf(
                    "capture slot: %d rows, %d bytes of WAL kept by the stopped capture's slot%n",
                    ROWS, after - before);
            long retained = number(pg, retainedQuery(slot));
            assertTrue(retained >= after - before, "retained " + retained + " < written " + (after - before));
            assertTrue(
                    number(pg, "SELECT restart_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = '" + slot + "'")
                            <= before,
                    "after a checkpoint, the slot still holds the WAL from before the inserts");
            assertEquals(List.of(slot + " false"), docsQuery(pg, slot), "docs/capture.md's monitoring query");
            try (PostgresCapture again = start(pg, kafka, table, ns)) {
                awaitState(kafka, ns, ROWS + 1);
                // Debezium confirms the LSN of a change once a later one is processed: two more commits move it past
                sql(pg, "INSERT INTO " + table + " VALUES (-1, 'x')", "INSERT INTO " + table + " VALUES (-2, 'y')");
                Awaitility.await("the confirmed LSN of " + slot + " passes the inserts")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> number(
                                        pg,
                                        "SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name"
                                                + " = '" + slot + "'")
                                >= after);
            }
        }
    }

    private static PostgresCapture start(PostgresServer pg, KafkaFixture kafka, String table, Namespace ns) {
        return CaptureFixture.capture(pg, kafka, "public." + table, ns)
                .key("id")
                .build()
                .start();
    }

    private static void awaitState(KafkaFixture kafka, Namespace ns, int records) {
        Awaitility.await(records + " records in " + ns.state())
                .atMost(Duration.ofSeconds(180))
                .until(() -> kafka.readToEnd(ns.state()).size() >= records);
    }

    // The WAL the slot keeps, in bytes: the expression of docs/capture.md's query without pg_size_pretty.
    private static String retainedQuery(String slot) {
        return "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots"
                + " WHERE slot_name = '" + slot + "'";
    }

    // docs/capture.md's query as written there, reduced to the slot's name and whether it is active.
    private static List<String> docsQuery(PostgresServer pg, String slot) throws SQLException {
        String docs = "SELECT slot_name, active, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(),"
                + " confirmed_flush_lsn)) AS retained FROM pg_replication_slots";
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT slot_name || ' ' || active FROM (" + docs + ") q WHERE slot_name"
                        + " = '" + slot + "' AND retained IS NOT NULL")) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out;
        }
    }

    private static long number(PostgresServer pg, String query) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            assertTrue(r.next(), query);
            return r.getBigDecimal(1).longValueExact();
        }
    }

    private static boolean bool(PostgresServer pg, String query) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            assertTrue(r.next(), query);
            return r.getBoolean(1);
        }
    }
}
