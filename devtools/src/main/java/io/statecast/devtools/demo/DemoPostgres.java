package io.statecast.devtools.demo;

import io.statecast.common.ConfigurationException;
import io.statecast.testkit.ExternalPostgres;
import io.statecast.testkit.LocalPostgres;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.PostgresUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The PostgreSQL of {@code demo --source postgres}: the user's server when a JDBC URL is given ({@code
 * --jdbc-url} or {@code STATECAST_JDBC_URL}), else one started from the machine's PostgreSQL binaries (testkit's
 * {@link LocalPostgres}: {@code initdb} in a temporary directory, a free port, {@code wal_level=logical}), which
 * the demo stops at its end. No server is a {@link ConfigurationException} (one line, exit 2) naming both ways.
 */
final class DemoPostgres {
    private DemoPostgres() {}

    /** A server for {@code s}, checked to answer with {@code wal_level=logical}. */
    static PostgresServer obtain(DemoSettings s, DemoConsole console) {
        if (s.jdbcUrl() != null && !s.jdbcUrl().isBlank()) {
            PostgresServer pg = external(s);
            check(pg);
            return pg;
        }
        Optional<Path> bin = LocalPostgres.findBinaries();
        if (bin.isEmpty()) {
            throw new ConfigurationException("demo --source postgres needs PostgreSQL: give --jdbc-url (or set"
                    + " STATECAST_JDBC_URL) of a server with wal_level=logical, or install the PostgreSQL"
                    + " binaries initdb and pg_ctl (apt-get install postgresql; " + LocalPostgres.BIN_ENV
                    + " names their directory)");
        }
        console.status("Starting PostgreSQL from " + bin.get() + "...");
        try {
            // The server's directory is a temporary one: run as root, initdb runs as an unprivileged user, which
            // may not reach the run directory.
            return LocalPostgres.builder().binaries(bin.get()).build().start();
        } catch (PostgresUnavailableException e) {
            throw new ConfigurationException("demo --source postgres: " + e.getMessage(), e);
        }
    }

    private static PostgresServer external(DemoSettings s) {
        if (!s.jdbcUrl().startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException(
                    "--jdbc-url is jdbc:postgresql://HOST[:PORT]/DATABASE, was " + s.jdbcUrl());
        }
        return new ExternalPostgres(s.jdbcUrl(), s.jdbcUser(), s.jdbcPassword() == null ? "" : s.jdbcPassword());
    }

    // Before the broker starts: a server that cannot be used ends the demo at once, with what to change.
    private static void check(PostgresServer pg) {
        try (Connection c = pg.connect();
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SHOW wal_level")) {
            r.next();
            if (!"logical".equals(r.getString(1))) {
                throw new ConfigurationException("demo --source postgres: " + pg.jdbcUrl() + " has wal_level="
                        + r.getString(1) + "; capture needs wal_level=logical (ALTER SYSTEM SET wal_level = logical,"
                        + " then restart the server)");
            }
        } catch (SQLException e) {
            throw new ConfigurationException(
                    "demo --source postgres cannot reach PostgreSQL at " + pg.jdbcUrl() + " as " + pg.user() + ": "
                            + e.getMessage() + "; check --jdbc-url, --jdbc-user and --jdbc-password-file",
                    e);
        }
    }
}
