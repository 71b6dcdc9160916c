package io.statecast.capture.internal;

import io.statecast.capture.CaptureException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Checks, before Debezium starts, what would otherwise fail later and obscurely: the login, {@code wal_level},
 * the replication privilege, the table, the key columns (present, NOT NULL) and that deletes will carry them
 * (replica identity). Each failure is one {@link CaptureException} that names the fix.
 */
public final class PreFlight {
    private final JdbcTarget target;
    private final String user;
    private final String password;

    /** Checks against this server as this user. */
    public PreFlight(JdbcTarget target, String user, String password) {
        this.target = target;
        this.user = user;
        this.password = password;
    }

    /** Runs every check for capturing {@code table} keyed by {@code keys}. */
    public void check(TableName table, List<String> keys) {
        try (Connection c = connect()) {
            walLevel(c);
            replication(c);
            long oid = tableOid(c, table);
            Map<String, Boolean> columns = columns(c, oid);
            for (String k : keys) {
                keyColumn(table, columns, k);
            }
            replicaIdentity(c, table, oid, keys);
        } catch (SQLException e) {
            throw new CaptureException(
                    "checking " + table + " on " + target.url() + " failed: " + e.getMessage(), false, e);
        }
    }

    /** The checks for an outbox: login, {@code wal_level}, privileges, the table and its three columns. */
    public void checkOutbox(TableName table, List<String> columns) {
        try (Connection c = connect()) {
            walLevel(c);
            replication(c);
            Map<String, Boolean> present = columns(c, tableOid(c, table));
            for (String col : columns) {
                if (!present.containsKey(col)) {
                    throw config("outbox " + table + " has no column " + col + " (columns: "
                            + String.join(", ", present.keySet()) + ")");
                }
            }
        } catch (SQLException e) {
            throw new CaptureException(
                    "checking " + table + " on " + target.url() + " failed: " + e.getMessage(), false, e);
        }
    }

    /** A connection as the capture's user; login failures become errors naming the fix. */
    public Connection connect() {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        try {
            return DriverManager.getConnection(target.url(), p);
        } catch (SQLException e) {
            throw loginFailure(e);
        }
    }

    private CaptureException loginFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        switch (state) {
            case "28P01":
                return config("password authentication failed for user " + user + " at " + target.url()
                        + ": check --user and the password in --password-file");
            case "28000":
                return config("PostgreSQL refused user " + user + " at " + target.url() + " (" + e.getMessage()
                        + "): allow it in pg_hba.conf (replication connections too)");
            case "3D000":
                return config("database " + target.database() + " does not exist on " + target.host() + ":"
                        + target.port() + ": check --jdbc-url");
            default:
                return new CaptureException(
                        "cannot connect to PostgreSQL at " + target.url() + ": " + e.getMessage()
                                + " (is it running and listening there?)",
                        false,
                        e);
        }
    }

    private void walLevel(Connection c) throws SQLException {
        String level = one(c, "SHOW wal_level");
        if (!"logical".equals(level)) {
            throw config("wal_level is " + level + " on " + target.host() + ":" + target.port()
                    + "; capture needs logical decoding: run ALTER SYSTEM SET wal_level = logical; and restart"
                    + " PostgreSQL (docs/capture.md)");
        }
    }

    private void replication(Connection c) throws SQLException {
        String ok = one(c, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user");
        if (!"t".equals(ok)) {
            throw config("user " + user + " may not replicate: ALTER ROLE " + user + " REPLICATION; (and grant it"
                    + " SELECT on the table)");
        }
    }

    private long tableOid(Connection c, TableName table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT c.oid FROM pg_class c JOIN pg_namespace n ON"
                + " n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw config("table " + table + " does not exist in database " + target.database()
                            + ": check --table (schema.table, e.g. public.pods)");
                }
                return r.getLong(1);
            }
        }
    }

    private static Map<String, Boolean> columns(Connection c, long oid) throws SQLException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT attname, attnotnull FROM pg_attribute WHERE attrelid"
                + " = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            s.setLong(1, oid);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getBoolean(2));
                }
            }
        }
        return out;
    }

    private static void keyColumn(TableName table, Map<String, Boolean> columns, String key) {
        Boolean notNull = columns.get(key);
        if (notNull == null) {
            throw config("--key " + key + ": " + table + " has no such column (columns: "
                    + String.join(", ", columns.keySet()) + ")");
        }
        if (!notNull) {
            throw config("--key " + key + ": the column is nullable; key columns must be NOT NULL (ALTER TABLE " + table
                    + " ALTER COLUMN " + key + " SET NOT NULL)");
        }
    }

    private void replicaIdentity(Connection c, TableName table, long oid, List<String> keys) throws SQLException {
        String identity = one(c, "SELECT relreplident FROM pg_class WHERE oid = " + oid);
        if ("f".equals(identity)) {
            return;
        }
        List<String> carried = identityColumns(c, oid, "d".equals(identity) ? "indisprimary" : "indisreplident");
        List<String> missing = new ArrayList<>(keys);
        missing.removeAll(carried);
        if (!missing.isEmpty() || "n".equals(identity)) {
            throw config("deletes of " + table + " would not carry the key column(s) " + missing
                    + " (its replica identity has " + carried + "): run ALTER TABLE " + table
                    + " REPLICA IDENTITY FULL; or key on the primary key");
        }
    }

    private static List<String> identityColumns(Connection c, long oid, String flag) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid ="
                        + " i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = " + oid + " AND i." + flag)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static CaptureException config(String message) {
        return CaptureException.config(message);
    }
}
