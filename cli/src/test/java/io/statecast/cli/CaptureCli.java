package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import picocli.CommandLine;

/** What the tests of the {@code capture} commands share: namespaces, a materializer, SQL, the command's JVM. */
final class CaptureCli {
    /** For what the commands print as JSON. */
    static final ObjectMapper JSON = new ObjectMapper();

    private CaptureCli() {}

    /** A command's exit code and what it wrote on stdout and stderr. */
    record Result(int code, String out, String err) {}

    /** Runs {@code statecast ARGS} in this JVM. */
    static Result execute(List<String> args) {
        CommandLine cl = StatecastCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** The statecast command in a JVM of its own, with this test's classpath. */
    static List<String> java() {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StatecastCli.class.getName());
    }

    /** The statecast command as shipped: the cli jar in a JVM of its own, with the jar's own logging configuration. */
    static List<String> shippedJar() {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "statecast.jar").toString());
    }

    /** A new file in the test directory. */
    static File testFile(String prefix, String suffix) throws IOException {
        Path dir = Path.of(System.getProperty("statecast.test.dir", "target"));
        return Files.createTempFile(dir, prefix, suffix).toFile();
    }

    /** A password file holding {@code password}. */
    static String passwordFile(String password) throws IOException {
        File f = testFile("pw-", "");
        Files.writeString(f.toPath(), password + "\n");
        return f.toString();
    }

    /** {@code err} is one line, the cli's {@code statecast: ...}, containing {@code expected}. */
    static void assertOneLine(String err, String expected) {
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("statecast: ") && lines.get(0).contains(expected), err);
    }

    /** A new namespace with its topics, two partitions. */
    static String provision(KafkaFixture kafka) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(2));
        }
        return ns.name();
    }

    /** A materializer of {@code ns}, running. */
    static Materializer materializer(KafkaFixture kafka, String ns) {
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

    /** The keys live in {@code <ns>.state} (the last record of each key is not a tombstone). */
    static long live(KafkaFixture kafka, String ns) {
        Map<String, Boolean> state = new HashMap<>();
        kafka.readToEnd(ns + ".state").forEach(r -> state.put(new String(r.key()), r.value() != null));
        return state.values().stream().filter(v -> v).count();
    }

    /** The first column of each row of {@code query}. */
    static List<String> rows(PostgresServer pg, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** Runs the statements, each committed on its own. */
    static void sql(PostgresServer pg, String... statements) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
