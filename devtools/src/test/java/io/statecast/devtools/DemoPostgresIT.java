package io.statecast.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.LocalPostgres;
import io.statecast.testkit.StatecastKafkaTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --source postgres}: the pods are rows of a PostgreSQL table, captured into the pods namespace;
 * the agents are checked against the table read back from PostgreSQL. Without a PostgreSQL it is one line and
 * exit 2.
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DemoPostgresIT {
    // What the demo may print with --source postgres: the database's two phases, and the lines every demo prints.
    private static final Pattern ALLOWED = DemoProcess.allowed(
            "Starting PostgreSQL from .*\\.\\.\\.",
            "Pods kept in PostgreSQL \\(jdbc:postgresql://.*, table public\\.\\w+\\) and captured into \\S+\\.changes\\.\\.\\.");

    private static final Pattern RYW = Pattern.compile(
            "read-your-writes \\(commit in PostgreSQL -> visible in the agent\\): p50 [0-9.]+ ms, .* over (\\d+) samples");
    private static final Pattern TABLE = Pattern.compile("authoritative table: (\\d+) pods on (\\d+) nodes");
    private static final Pattern TABLE_NAME = Pattern.compile("table (public\\.\\w+)\\)");

    /**
     * As a user runs it, with no JDBC URL: the dev jar in its own process starts a PostgreSQL from the machine's
     * binaries, keeps the pods in a table of it, captures them, and every agent equals its node's rows; the
     * terminal shows only the demo's lines, the capture's logs are in demo.log, the database stops last
     * (the shared test broker is not the demo's to stop).
     */
    @Test
    void withTheMachinesBinariesThePodsLiveInATableAndEveryAgentEqualsIt(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(
                LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null,
                "no PostgreSQL binaries on this machine");
        Path runDir = dir.resolve("run");
        ProcessBuilder pb = new ProcessBuilder(
                demo(kafka, "--agents", "2", "--rate", "100", "--duration", "10", "--run-dir", runDir.toString()));
        pb.environment().remove("STATECAST_JDBC_URL");
        String out = DemoProcess.succeeded(DemoProcess.start(pb, dir), dir, ALLOWED);
        assertTrue(out.contains("Starting PostgreSQL from "), out);
        assertTrue(
                out.contains("OK: all 9 agents' views equal the authoritative table for their node (7 slice views,"
                        + " 2 whole-table views)."),
                out);
        assertTimedFromCommit(out);
        List<String> log = Files.readAllLines(runDir.resolve("demo.log"), StandardCharsets.UTF_8);
        assertTrue(log.stream().anyMatch(l -> l.contains("[capture ns=") && l.contains("started")), "capture ran");
        int agents = DemoProcess.indexOf(log, "Stopped the agents");
        int materializers = DemoProcess.indexOf(log, "Stopped the materializers");
        int database = DemoProcess.indexOf(log, "Stopped the database");
        assertTrue(
                0 <= agents && agents < materializers && materializers < database,
                "the database stops after the agents and the materializers: " + log);
        assertTrue(log.get(log.size() - 1).contains("Demo finished (exit 0)"), "the last log line: " + log);
    }

    /**
     * With --jdbc-url (the user's server): the table stays in it, and the summary's authoritative table is what
     * a SELECT of it gives, so the agents were held to PostgreSQL's rows; capture's slot and publication are
     * dropped.
     */
    @Test
    void withAJdbcUrlTheAgentsAreCheckedAgainstTheTableThatStaysInTheServer(KafkaFixture kafka, @TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(
                LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null,
                "no PostgreSQL binaries on this machine");
        try (LocalPostgres pg = LocalPostgres.builder().build().start()) {
            Path password = Files.writeString(dir.resolve("password"), pg.password() + "\n");
            List<String> args =
                    new ArrayList<>(List.of(demo(kafka, "--agents", "2", "--rate", "100", "--duration", "8")));
            args.subList(0, 3).clear(); // in this JVM: the arguments only
            args.addAll(List.of(
                    "--jdbc-url", pg.jdbcUrl(),
                    "--jdbc-user", pg.user(),
                    "--jdbc-password-file", password.toString(),
                    "--run-dir", dir.resolve("run").toString()));
            DevCli.Run run = DevCli.run(args.toArray(String[]::new));
            assertEquals(0, run.exit(), run.out() + run.err());
            assertFalse(run.out().contains("Starting PostgreSQL"), "the user's server is used: " + run.out());
            assertTrue(run.out().contains("OK: all 9 agents' views equal the authoritative table"), run.out());
            assertTimedFromCommit(run.out());
            Matcher name = TABLE_NAME.matcher(run.out());
            assertTrue(name.find(), run.out());
            Matcher table = TABLE.matcher(run.out());
            assertTrue(table.find(), run.out());
            Map<String, Long> rows = select(
                    pg,
                    "SELECT count(*) AS pods, count(DISTINCT node) AS nodes FROM " + name.group(1)
                            + " WHERE node IS NOT NULL");
            assertEquals(
                    Long.parseLong(table.group(1)), rows.get("pods"), "pods in the summary and in " + name.group(1));
            assertEquals(Long.parseLong(table.group(2)), rows.get("nodes"), "nodes in the summary and in the table");
            assertTrue(rows.get("pods") > 150, "the table holds the cluster: " + rows);
            assertEquals(
                    0L,
                    select(pg, "SELECT count(*) AS n FROM pg_replication_slots").get("n"),
                    "slot dropped");
            assertEquals(
                    0L, select(pg, "SELECT count(*) AS n FROM pg_publication").get("n"), "publication dropped");
        }
    }

    /** A --jdbc-url nothing answers: one line naming the URL and the flags to check, exit 2, before any broker. */
    @Test
    void aServerThatDoesNotAnswerIsOneLineAndExitCode2(KafkaFixture kafka) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/statecast";
        DevCli.Run run = DevCli.run(
                "demo", "--source", "postgres", "--bootstrap-servers", kafka.bootstrapServers(), "--jdbc-url", url);
        assertEquals(2, run.exit(), run.out() + run.err());
        assertEquals("", run.out(), "nothing ran");
        List<String> err = run.err().lines().toList();
        assertEquals(1, err.size(), run.err());
        assertTrue(
                err.get(0).startsWith("statecast: demo --source postgres cannot reach PostgreSQL at " + url)
                        && err.get(0).contains("check --jdbc-url"),
                run.err());
    }

    /** No JDBC URL and no binaries (STATECAST_PG_BIN naming an empty directory): one line naming both ways. */
    @Test
    void noPostgresAtAllIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(DemoProcess.command("demo", "--source", "postgres", "--run-dir", dir.toString()));
        pb.environment().remove("STATECAST_JDBC_URL");
        pb.environment().put("STATECAST_PG_BIN", dir.toString());
        Process demo = DemoProcess.start(pb, dir);
        assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "the demo ended");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        List<String> err = Files.readAllLines(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(2, demo.exitValue(), out + err);
        assertEquals("", out);
        assertEquals(1, err.size(), String.join("\n", err));
        assertTrue(
                err.get(0).startsWith("statecast: demo --source postgres needs PostgreSQL: give --jdbc-url")
                        && err.get(0).contains("install the PostgreSQL binaries"),
                err.get(0));
    }

    // At least one timed write, from its commit in PostgreSQL to the agent of its node.
    private static void assertTimedFromCommit(String out) {
        Matcher samples = RYW.matcher(out);
        assertTrue(samples.find() && Integer.parseInt(samples.group(1)) > 0, out);
    }

    private static String[] demo(KafkaFixture kafka, String... more) {
        List<String> a = DemoProcess.command("demo", "--source", "postgres");
        a.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--nodes", "3", "--pods", "200"));
        a.addAll(List.of("--splay", "1"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static Map<String, Long> select(LocalPostgres pg, String sql) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next(), sql);
            java.util.HashMap<String, Long> row = new java.util.HashMap<>();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                row.put(r.getMetaData().getColumnLabel(i), r.getLong(i));
            }
            return row;
        }
    }
}
