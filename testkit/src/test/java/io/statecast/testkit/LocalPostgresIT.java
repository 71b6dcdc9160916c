package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The machine's PostgreSQL binaries as a test server: logical decoding on, restarts keep data, close cleans up. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LocalPostgresIT {

    @Test
    void startsWithLogicalDecodingKeepsDataAcrossARestartAndDeletesItsDirectoryOnClose() throws SQLException {
        Assumptions.assumeTrue(
                LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null,
                "no PostgreSQL binaries on this machine");
        LocalPostgres pg = LocalPostgres.builder().build().start();
        try (pg) {
            try (Connection c = pg.connect();
                    Statement s = c.createStatement()) {
                assertEquals("logical", one(s, "SHOW wal_level"));
                s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
                s.execute("INSERT INTO kept VALUES (7)");
                assertEquals("t", one(s, "SELECT rolreplication FROM pg_roles WHERE rolname = current_user"));
            }
            pg.restart();
            try (Connection c = pg.connect();
                    Statement s = c.createStatement()) {
                assertEquals("7", one(s, "SELECT id FROM kept"));
            }
            assertTrue(Files.exists(pg.directory()));
        }
        assertFalse(Files.exists(pg.directory()), "close deletes the server's directory");
    }

    @Test
    void aWrongPasswordIsRefused() {
        Assumptions.assumeTrue(LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null);
        try (LocalPostgres pg =
                LocalPostgres.builder().walLevel("replica").build().start()) {
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(
                    SQLException.class,
                    () -> java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong")
                            .close());
            assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        }
    }

    @Test
    void aDirectoryTheServersUserCannotReachIsNamed() throws java.io.IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root hands the directory over");
        Assumptions.assumeTrue(LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null);
        java.nio.file.Path closed = Files.createTempDirectory("statecast-closed-"); // mode 700, root's
        try {
            PostgresUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                    PostgresUnavailableException.class,
                    () -> LocalPostgres.builder()
                            .directory(closed.resolve("pg"))
                            .build()
                            .start());
            assertTrue(e.getMessage().contains("cannot write " + closed.resolve("pg")), e.getMessage());
        } finally {
            Dirs.deleteRecursively(closed);
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
