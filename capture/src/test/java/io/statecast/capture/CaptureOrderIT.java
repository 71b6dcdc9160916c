package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SourcePosition;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rows reach {@code <ns>.changes} in the order their transactions committed, each transaction's in its order. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CaptureOrderIT {

    @Test
    void interleavedTransactionsReachChangesInCommitOrder(KafkaFixture kafka, PostgresServer pg) throws Exception {
        Namespace ns = CaptureFixture.provision(kafka, 1); // one partition: one total order to compare with
        String table = "ord_" + ns.name().replace('-', '_');
        sql(pg, "CREATE TABLE " + table + " (id text PRIMARY KEY, n int NOT NULL)");
        List<String> expected = new ArrayList<>();
        try (PostgresCapture capture = CaptureFixture.capture(pg, kafka, "public." + table, ns)
                        .key("id")
                        .build()
                        .start();
                Sessions sessions = new Sessions(pg, table, 3, new Random(23))) {
            CaptureFixture.awaitSlot(pg, capture.slot());
            for (int round = 0; round < 40; round++) {
                sessions.interleave(round, 8);
                expected.addAll(sessions.commitInRandomOrder());
            }
            Awaitility.await(expected.size() + " changes in " + ns.changes())
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> kafka.readToEnd(ns.changes()).size() >= expected.size());
        }
        List<ConsumerRecord<byte[], byte[]>> changes = kafka.readToEnd(ns.changes());
        List<String> seen = new ArrayList<>();
        List<SourcePosition> positions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : changes) {
            ChangeEvent e = Envelopes.changeEvent().decode(r.value());
            seen.add(e.getOp() + " " + new String(r.key(), StandardCharsets.UTF_8));
            positions.add(e.getSource());
        }
        assertEquals(expected, seen, "the changes in commit order, each transaction's rows in statement order");
        for (int i = 1; i < positions.size(); i++) {
            SourcePosition a = positions.get(i - 1);
            SourcePosition b = positions.get(i);
            assertTrue(
                    a.getPosition() < b.getPosition()
                            || a.getPosition() == b.getPosition() && a.getSequence() < b.getSequence(),
                    "(commit LSN, row LSN) grows along the log: " + a + " then " + b);
        }
    }

    /** Open database sessions that write interleaved statements, each in its own transaction. */
    private static final class Sessions implements AutoCloseable {
        private final String table;
        private final Random random;
        private final List<Connection> connections = new ArrayList<>();
        private final List<List<String>> pending = new ArrayList<>();
        private final List<Set<String>> rows = new ArrayList<>();

        Sessions(PostgresServer pg, String table, int n, Random random) throws SQLException {
            this.table = table;
            this.random = random;
            for (int i = 0; i < n; i++) {
                Connection c = pg.connect();
                c.setAutoCommit(false);
                connections.add(c);
                pending.add(new ArrayList<>());
                rows.add(new HashSet<>());
            }
        }

        // Statements of the sessions interleaved at random: an insert of a new row, or an update or a delete of
        // a row this session inserted in this round (its own rows: no session waits for another's lock).
        void interleave(int round, int statements) throws SQLException {
            for (int s = 0; s < statements; s++) {
                int i = random.nextInt(connections.size());
                String own = "r" + round + "-s" + i + "-" + random.nextInt(2);
                if (rows.get(i).add(own)) {
                    execute(i, "INSERT INTO " + table + " VALUES ('" + own + "', " + s + ")", "UPSERT " + own);
                } else if (random.nextBoolean()) {
                    execute(i, "UPDATE " + table + " SET n = n + 100 WHERE id = '" + own + "'", "UPSERT " + own);
                } else {
                    execute(i, "DELETE FROM " + table + " WHERE id = '" + own + "'", "DELETE " + own);
                    rows.get(i).remove(own);
                }
            }
        }

        private void execute(int session, String sql, String change) throws SQLException {
            try (Statement st = connections.get(session).createStatement()) {
                st.execute(sql);
            }
            pending.get(session).add(change);
        }

        /** Commits every session, in a random order; returns the changes in the order they committed. */
        List<String> commitInRandomOrder() throws SQLException {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < connections.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            List<String> out = new ArrayList<>();
            for (int i : order) {
                connections.get(i).commit();
                out.addAll(pending.get(i));
                pending.get(i).clear();
                rows.get(i).clear(); // the next round writes other ids
            }
            return out;
        }

        @Override
        public void close() throws SQLException {
            for (Connection c : connections) {
                c.close();
            }
        }
    }
}
