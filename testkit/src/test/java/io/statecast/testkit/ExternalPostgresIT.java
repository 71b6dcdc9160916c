package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code STATECAST_JDBC_URL} points the testkit at a server someone else runs: it is used, not started. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExternalPostgresIT {

    @Test
    void aJvmWithStatecastJdbcUrlUsesThatServer() throws Exception {
        Assumptions.assumeTrue(LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null);
        try (LocalPostgres server = LocalPostgres.builder().build().start()) {
            try (Connection c = server.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE marker (id int)");
                s.execute("INSERT INTO marker VALUES (1), (2), (3)");
            }
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            ExternalPostgresProbe.class.getName())
                    .redirectErrorStream(true);
            pb.environment().remove(Postgres.KIND_ENV);
            pb.environment().put(Postgres.JDBC_URL_ENV, server.jdbcUrl());
            pb.environment().put("STATECAST_JDBC_USER", server.user());
            pb.environment().put("STATECAST_JDBC_PASSWORD", server.password());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), out);
            List<String> lines = out.lines().filter(l -> l.startsWith("probe ")).toList();
            assertEquals(List.of("probe EXTERNAL " + server.port() + " logical 3"), lines, out);
            assertEquals(3, count(server), "the probe's close left the external server running");
        }
    }

    private static long count(LocalPostgres server) throws SQLException {
        try (Connection c = server.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM marker")) {
            r.next();
            return r.getLong(1);
        }
    }
}
