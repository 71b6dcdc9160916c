package io.statecast.capture;

import io.statecast.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random inserts, updates and deletes of a {@code pods} table in multi-row transactions (1 to 20 rows each). A
 * third of the inserts re-create a deleted id, so a key sees insert, delete and insert again (the interleavings a
 * replay must not repeat). Counts the row changes of each key, to tell how many versions the key must have.
 */
final class PodsWorkload {
    static final String CREATE = "CREATE TABLE %s (id text PRIMARY KEY, node text NOT NULL, phase text,"
            + " restarts int, cpu bigint, ready boolean, note text)";

    private final PostgresServer pg;
    private final String table;
    private final Random random;
    private final List<String> live = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private final Map<String, Integer> changes = new HashMap<>();
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

    /**
     * The versions each key must have in the state topic when the snapshot was taken after the rows live at
     * {@code snapshot} and every change since was counted ({@link #resetCounts()} at the snapshot): one for the
     * snapshot's row, one per insert, update and delete after it.
     */
    Map<String, Integer> expectedVersions(List<String> snapshot) {
        Map<String, Integer> out = new HashMap<>(changes);
        snapshot.forEach(k -> out.merge(k, 1, Integer::sum));
        return out;
    }

    /** The ids live now. */
    List<String> live() {
        return List.copyOf(live);
    }

    /** Forgets the changes counted so far. */
    void resetCounts() {
        changes.clear();
    }

    private void one(Connection c) throws SQLException {
        int dice = random.nextInt(10);
        if (live.isEmpty() || dice < 4) {
            insert(c, !deleted.isEmpty() && random.nextInt(3) == 0 ? deleted.remove(0) : "default/pod-" + next++);
        } else if (dice < 8) {
            update(c, live.get(random.nextInt(live.size())));
        } else {
            String id = live.remove(random.nextInt(live.size()));
            delete(c, id);
            deleted.add(id);
        }
    }

    private void insert(Connection c, String id) throws SQLException {
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
        changes.merge(id, 1, Integer::sum);
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
        changes.merge(id, 1, Integer::sum); // restarts grows: never a no-op
    }

    private void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        }
        changes.merge(id, 1, Integer::sum);
    }
}
