package io.statecast.capture;

import io.statecast.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random inserts, updates and deletes of a {@code pods} table in multi-row transactions (1 to 20 rows each). */
final class PodsWorkload {
    static final String CREATE = "CREATE TABLE %s (id text PRIMARY KEY, node text NOT NULL, phase text,"
            + " restarts int, cpu bigint, ready boolean, note text)";

    private final PostgresServer pg;
    private final String table;
    private final Random random;
    private final List<String> live = new ArrayList<>();
    private int next;

    PodsWorkload(PostgresServer pg, String table, long seed) {
        this.pg = pg;
        this.table = table;
        this.random = new Random(seed);
    }

    /** Runs {@code operations} random changes; returns how many transactions they took. */
    int run(int operations) {
        int done = 0;
        int transactions = 0;
        try (Connection c = pg.connect()) {
            c.setAutoCommit(false);
            while (done < operations) {
                int n = Math.min(operations - done, 1 + random.nextInt(20));
                for (int i = 0; i < n; i++) {
                    one(c);
                }
                c.commit();
                done += n;
                transactions++;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return transactions;
    }

    private void one(Connection c) throws SQLException {
        int dice = random.nextInt(10);
        if (live.isEmpty() || dice < 4) {
            insert(c);
        } else if (dice < 8) {
            update(c, live.get(random.nextInt(live.size())));
        } else {
            delete(c, live.remove(random.nextInt(live.size())));
        }
    }

    private void insert(Connection c) throws SQLException {
        String id = "default/pod-" + next++;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, "node-" + random.nextInt(10));
            s.setString(3, random.nextBoolean() ? "Pending" : null);
            s.setInt(4, 0);
            s.setLong(5, random.nextInt(4000));
            s.setBoolean(6, false);
            s.setString(7, "n" + random.nextInt(1000));
            s.executeUpdate();
        }
        live.add(id);
    }

    private void update(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE " + table + " SET phase = ?, restarts = restarts + 1, cpu = ?, ready = ? WHERE id = ?")) {
            s.setString(1, random.nextBoolean() ? "Running" : "Failed");
            s.setLong(2, random.nextInt(4000));
            s.setBoolean(3, random.nextBoolean());
            s.setString(4, id);
            s.executeUpdate();
        }
    }

    private void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }
}
