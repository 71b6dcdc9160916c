package io.statecast.cli;

import static io.statecast.cli.CaptureCli.assertOneLine;
import static io.statecast.cli.CaptureCli.execute;
import static io.statecast.cli.CaptureCli.java;
import static io.statecast.cli.CaptureCli.live;
import static io.statecast.cli.CaptureCli.materializer;
import static io.statecast.cli.CaptureCli.passwordFile;
import static io.statecast.cli.CaptureCli.provision;
import static io.statecast.cli.CaptureCli.rows;
import static io.statecast.cli.CaptureCli.shippedJar;
import static io.statecast.cli.CaptureCli.sql;
import static io.statecast.cli.CaptureCli.testFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.statecast.capture.ConnectLikeTopic;
import io.statecast.cli.CaptureCli.Result;
import io.statecast.materializer.Materializer;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.LocalPostgres;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code statecast capture postgres}: one clear line and exit 2 for what the user must fix; a run stopped by SIGTERM. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CaptureCommandIT {

    @Test
    void aWrongPasswordAMissingTableOrTwoValueSchemasIsOneLineAndExitCode2(KafkaFixture kafka, PostgresServer pg)
            throws Exception {
        String ns = provision(kafka);
        sql(pg, "CREATE TABLE IF NOT EXISTS cli_pods (id text PRIMARY KEY, node text)");
        Result wrong = capture(kafka, pg, ns, "public.cli_pods", "not-the-password");
        assertEquals(2, wrong.code(), wrong.err());
        assertOneLine(wrong.err(), "password authentication failed for user " + pg.user());
        Result missing = capture(kafka, pg, ns, "public.no_such_table", pg.password());
        assertEquals(2, missing.code(), missing.err());
        assertOneLine(missing.err(), "table public.no_such_table does not exist");
        List<String> args = command(kafka, pg, ns, "public.cli_pods", pg.password());
        List<String> twoSchemas = new ArrayList<>(args.subList(args.indexOf("capture"), args.size()));
        twoSchemas.addAll(List.of("--value-schema", "a.avsc", "--value-schema", "b.avsc"));
        Result two = execute(twoSchemas);
        assertEquals(2, two.code(), two.err());
        assertOneLine(two.err(), "--value-schema is given once");
    }

    @Test
    void walLevelReplicaIsOneLineNamingTheFixAndExitCode2(KafkaFixture kafka) throws Exception {
        Assumptions.assumeTrue(LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null);
        String ns = provision(kafka);
        try (LocalPostgres replica =
                LocalPostgres.builder().walLevel("replica").build().start()) {
            sql(replica, "CREATE TABLE pods (id text PRIMARY KEY)");
            Result r = capture(kafka, replica, ns, "public.pods", replica.password());
            assertEquals(2, r.code(), r.err());
            assertOneLine(r.err(), "wal_level is replica");
            assertTrue(r.err().contains("ALTER SYSTEM SET wal_level = logical"), r.err());
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
            List<String> c = new ArrayList<>(shippedJar());
            List<String> args = command(kafka, pg, ns, "public." + table, pg.password());
            c.addAll(args.subList(args.indexOf("capture"), args.size()));
            Path err = testFile("capture-cli-", ".err").toPath();
            Process p = new ProcessBuilder(c)
                    .redirectOutput(testFile("capture-cli-", ".out"))
                    .redirectError(err.toFile())
                    .start();
            try {
                sql(
                        pg,
                        "UPDATE " + table + " SET node = 'node-9' WHERE id = 'default/p-1'",
                        "DELETE FROM " + table + " WHERE id = 'default/p-2'");
                Awaitility.await("the state holds the 49 live rows of the table")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> live(kafka, ns) == 49);
                // the snapshot is in: an update now is a second version of p-3 (p-1's may be in the snapshot)
                int before = kafka.readToEnd(ns + ".state").size();
                sql(pg, "UPDATE " + table + " SET node = 'node-7' WHERE id = 'default/p-3'");
                Awaitility.await("p-3's second version")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> kafka.readToEnd(ns + ".state").size() == before + 1);
            } finally {
                p.destroy(); // SIGTERM
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "a stop on SIGTERM is a success");
            assertOnlyStatecastLines(Files.readString(err));
            assertEquals(
                    List.of(slot(ns) + " pgoutput", publication(ns) + " " + table),
                    rows(
                            pg,
                            "SELECT slot_name || ' ' || plugin FROM pg_replication_slots WHERE slot_name = '" + slot(ns)
                                    + "' UNION ALL SELECT pubname || ' ' || tablename FROM pg_publication_tables"
                                    + " WHERE pubname = '" + publication(ns) + "'"),
                    "--slot and --publication name what capture made");
            // watch finds the derived value schema in <ns>.schemas: no schema flag, no schema file
            Path dump = testFile("dump-", "").toPath();
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
            // so do the audit commands: p-3's two versions, decoded, and what changed between them
            Result history = execute(List.of(
                    "audit",
                    "history",
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--namespace",
                    ns,
                    "--json",
                    "default/p-3"));
            assertEquals(0, history.code(), history.err());
            JsonNode versions = CaptureCli.JSON.readTree(history.out());
            assertEquals(2, versions.size(), history.out());
            assertEquals("node-0", versions.get(0).get("value").get("node").asText(), history.out());
            assertEquals("node-7", versions.get(1).get("value").get("node").asText(), history.out());
            assertTrue(versions.get(1).get("changes").toString().contains("node"), history.out());
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
            assertEquals(2, wrong.code(), wrong.err());
            // it reads the first row before it can tell: the line saying it started comes first
            assertOneLine(
                    wrong.err().replace("capture of " + topic + " started; Ctrl-C or SIGTERM stops it", ""),
                    "the rows of " + topic + " have no column no_such_column (they have id, node): fix --key");
            List<String> c = new ArrayList<>(java());
            c.addAll(List.of("capture", "debezium-topic", "--bootstrap-servers", kafka.bootstrapServers()));
            c.addAll(List.of("--topic", topic, "--namespace", ns, "--key", "id"));
            Process p = new ProcessBuilder(c)
                    .redirectErrorStream(true)
                    .redirectOutput(testFile("dbz-cli-", ".log"))
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

    // What a user sees of a capture: Statecast's own lines. Debezium's INFO lines (some 170 per start: its
    // configuration, threads, snapshot steps) and its deprecation warning were printed with them before.
    private static void assertOnlyStatecastLines(String err) {
        List<String> others = err.lines()
                .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
                .filter(l -> !l.matches("\\S+ INFO +i\\.s\\..*"))
                .toList();
        assertEquals(List.of(), others, "log lines other than Statecast's own INFO on stderr:\n" + err);
        assertTrue(err.contains("started; Ctrl-C or SIGTERM stops it"), err);
    }

    private static Result debeziumTopic(KafkaFixture kafka, String topic, String ns, String key) {
        return execute(List.of(
                "capture",
                "debezium-topic",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--namespace",
                ns,
                "--key",
                key));
    }

    private static Result capture(KafkaFixture kafka, PostgresServer pg, String ns, String table, String password)
            throws IOException {
        List<String> args = command(kafka, pg, ns, table, password);
        return execute(args.subList(args.indexOf("capture"), args.size()));
    }

    private static List<String> command(KafkaFixture kafka, PostgresServer pg, String ns, String table, String pw)
            throws IOException {
        List<String> c = new ArrayList<>(java());
        c.addAll(List.of("capture", "postgres", "--bootstrap-servers", kafka.bootstrapServers()));
        c.addAll(List.of("--jdbc-url", pg.jdbcUrl(), "--user", pg.user(), "--password-file", passwordFile(pw)));
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
}
