package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.capture.ConnectLikeTopic;
import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.LocalPostgres;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code statecast capture postgres}: one clear line and exit 2 for what the user must fix; a run stopped by SIGTERM. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CaptureCommandIT {

    @Test
    void aWrongPasswordOrAMissingTableIsOneLineAndExitCode2(KafkaFixture kafka, PostgresServer pg) throws Exception {
        String ns = provision(kafka);
        sql(pg, "CREATE TABLE IF NOT EXISTS cli_pods (id text PRIMARY KEY, node text)");
        Result wrong = capture(kafka, pg, ns, "public.cli_pods", "not-the-password");
        assertEquals(2, wrong.code, wrong.err);
        assertOneLine(wrong.err, "password authentication failed for user " + pg.user());
        Result missing = capture(kafka, pg, ns, "public.no_such_table", pg.password());
        assertEquals(2, missing.code, missing.err);
        assertOneLine(missing.err, "table public.no_such_table does not exist");
    }

    @Test
    void walLevelReplicaIsOneLineNamingTheFixAndExitCode2(KafkaFixture kafka) throws Exception {
        Assumptions.assumeTrue(LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null);
        String ns = provision(kafka);
        try (LocalPostgres replica =
                LocalPostgres.builder().walLevel("replica").build().start()) {
            sql(replica, "CREATE TABLE pods (id text PRIMARY KEY)");
            Result r = capture(kafka, replica, ns, "public.pods", replica.password());
            assertEquals(2, r.code, r.err);
            assertOneLine(r.err, "wal_level is replica");
            assertTrue(r.err.contains("ALTER SYSTEM SET wal_level = logical"), r.err);
        }
    }

    @Test
    void aCaptureProcessWritesTheTableAndStopsCleanlyOnSigterm(KafkaFixture kafka, PostgresServer pg) throws Exception {
        String ns = provision(kafka);
        String table = "cli_" + ns.replace('-', '_');
        sql(
                pg,
                "CREATE TABLE " + table + " (id text PRIMARY KEY, node text)",
                "INSERT INTO " + table + " SELECT 'default/p-' || g, 'node-' || (g % 3) FROM generate_series(1, 50) g");
        try (Materializer m = materializer(kafka, ns)) {
            Process p = new ProcessBuilder(command(kafka, pg, ns, "public." + table, pg.password()))
                    .redirectErrorStream(true)
                    .redirectOutput(Files.createTempFile(
                                    Path.of(System.getProperty("statecast.test.dir", "target")), "capture-cli-", ".log")
                            .toFile())
                    .start();
            try {
                sql(
                        pg,
                        "UPDATE " + table + " SET node = 'node-9' WHERE id = 'default/p-1'",
                        "DELETE FROM " + table + " WHERE id = 'default/p-2'");
                Awaitility.await("the state holds the 49 live rows of the table")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> live(kafka, ns) == 49);
            } finally {
                p.destroy(); // SIGTERM
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "a stop on SIGTERM is a success");
            assertEquals(
                    List.of(slot(ns) + " pgoutput", publication(ns) + " " + table),
                    rows(
                            pg,
                            "SELECT slot_name || ' ' || plugin FROM pg_replication_slots WHERE slot_name = '" + slot(ns)
                                    + "' UNION ALL SELECT pubname || ' ' || tablename FROM pg_publication_tables"
                                    + " WHERE pubname = '" + publication(ns) + "'"),
                    "--slot and --publication name what capture made");
            // watch finds the derived value schema in <ns>.schemas: no schema flag, no schema file
            Path dump = Files.createTempFile(Path.of(System.getProperty("statecast.test.dir", "target")), "dump-", "");
            int code = StatecastCli.commandLine()
                    .execute(
                            "watch",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--namespace",
                            ns,
                            "--exit-when-ready",
                            "--dump",
                            dump.toString());
            assertEquals(0, code);
            List<String> lines = Files.readAllLines(dump);
            assertEquals(49, lines.size());
            assertTrue(
                    lines.stream().anyMatch(l -> l.contains("\"key\":\"default/p-1\"") && l.contains("node-9")),
                    String.join("\n", lines.subList(0, 3)));
        }
    }

    @Test
    void debeziumTopicReadsWhatConnectWroteAndAKeyTheRowsLackIsExitCode2(KafkaFixture kafka, PostgresServer pg)
            throws Exception {
        String ns = provision(kafka);
        String table = "dbz_" + ns.replace('-', '_');
        String topic = "dbserver1.public." + table;
        kafka.createTopic(topic, 2, Map.of());
        sql(
                pg,
                "CREATE TABLE " + table + " (id text PRIMARY KEY, node text)",
                "INSERT INTO " + table + " SELECT 'default/p-' || g, 'node-' || (g % 3) FROM generate_series(1, 50) g");
        try (ConnectLikeTopic connect = ConnectLikeTopic.start(kafka, pg, table, topic);
                Materializer m = materializer(kafka, ns)) {
            Awaitility.await("Connect's snapshot in " + topic)
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> kafka.readToEnd(topic).size() >= 50);
            Result wrong = debeziumTopic(kafka, topic, ns, "no_such_column");
            assertEquals(2, wrong.code, wrong.err);
            // it reads the first row before it can tell: the line saying it started comes first
            assertOneLine(
                    wrong.err.replace("capture of " + topic + " started; Ctrl-C or SIGTERM stops it", ""),
                    "the rows of " + topic + " have no column no_such_column (they have id, node): fix --key");
            List<String> c = new ArrayList<>(java());
            c.addAll(List.of("capture", "debezium-topic", "--bootstrap-servers", kafka.bootstrapServers()));
            c.addAll(List.of("--topic", topic, "--namespace", ns, "--key", "id"));
            Process p = new ProcessBuilder(c)
                    .redirectErrorStream(true)
                    .redirectOutput(log("dbz-cli-"))
                    .start();
            try {
                sql(
                        pg,
                        "UPDATE " + table + " SET node = 'node-9' WHERE id = 'default/p-1'",
                        "DELETE FROM " + table + " WHERE id = 'default/p-2'");
                Awaitility.await("the state holds the 49 live rows of the table, p-1 on node-9")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> live(kafka, ns) == 49
                                && kafka.readToEnd(ns + ".state").size() == 52);
            } finally {
                p.destroy(); // SIGTERM
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "a stop on SIGTERM is a success");
        }
    }

    private static Result debeziumTopic(KafkaFixture kafka, String topic, String ns, String key) {
        CommandLine cl = StatecastCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(
                "capture",
                "debezium-topic",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--namespace",
                ns,
                "--key",
                key);
        return new Result(code, err.toString());
    }

    private static java.io.File log(String prefix) throws IOException {
        return Files.createTempFile(Path.of(System.getProperty("statecast.test.dir", "target")), prefix, ".log")
                .toFile();
    }

    private static long live(KafkaFixture kafka, String ns) {
        Map<String, Boolean> state = new HashMap<>();
        kafka.readToEnd(ns + ".state").forEach(r -> state.put(new String(r.key()), r.value() != null));
        return state.values().stream().filter(v -> v).count();
    }

    private record Result(int code, String err) {}

    private static Result capture(KafkaFixture kafka, PostgresServer pg, String ns, String table, String password)
            throws IOException {
        List<String> args = command(kafka, pg, ns, table, password);
        CommandLine cl = StatecastCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.subList(args.indexOf("capture"), args.size()).toArray(String[]::new));
        return new Result(code, err.toString());
    }

    private static List<String> command(KafkaFixture kafka, PostgresServer pg, String ns, String table, String pw)
            throws IOException {
        Path file = Files.createTempFile(Path.of(System.getProperty("statecast.test.dir", "target")), "pw-", "");
        Files.writeString(file, pw + "\n");
        List<String> c = new ArrayList<>(java());
        c.addAll(List.of("capture", "postgres", "--bootstrap-servers", kafka.bootstrapServers()));
        c.addAll(List.of("--jdbc-url", pg.jdbcUrl(), "--user", pg.user(), "--password-file", file.toString()));
        c.addAll(List.of("--table", table, "--namespace", ns, "--key", "id", "--offsets-topic", ns + ".offsets"));
        c.addAll(List.of("--slot", slot(ns), "--publication", publication(ns)));
        return c;
    }

    private static String slot(String ns) {
        return "cli_slot_" + ns.replace('-', '_');
    }

    private static String publication(String ns) {
        return "cli_pub_" + ns.replace('-', '_');
    }

    // The statecast command in a JVM of its own, with this test's classpath.
    private static List<String> java() {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StatecastCli.class.getName());
    }

    private static void assertOneLine(String err, String expected) {
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("statecast: ") && lines.get(0).contains(expected), err);
    }

    private static String provision(KafkaFixture kafka) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(2));
        }
        return ns.name();
    }

    private static Materializer materializer(KafkaFixture kafka, String ns) {
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns);
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(
                MaterializerConfig.STATE_DIR,
                Path.of(System.getProperty("statecast.test.dir", "target"), "m-" + ns)
                        .toString());
        Materializer m = new Materializer(new MaterializerConfig(c)).start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> m.state().isRunningOrRebalancing());
        return m;
    }

    private static List<String> rows(PostgresServer pg, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static void sql(PostgresServer pg, String... statements) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
