package io.statecast.cli;

import static io.statecast.cli.CaptureCli.assertOneLine;
import static io.statecast.cli.CaptureCli.execute;
import static io.statecast.cli.CaptureCli.java;
import static io.statecast.cli.CaptureCli.live;
import static io.statecast.cli.CaptureCli.materializer;
import static io.statecast.cli.CaptureCli.passwordFile;
import static io.statecast.cli.CaptureCli.provision;
import static io.statecast.cli.CaptureCli.rows;
import static io.statecast.cli.CaptureCli.sql;
import static io.statecast.cli.CaptureCli.testFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.statecast.cli.CaptureCli.Result;
import io.statecast.materializer.Materializer;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code statecast capture postgres --outbox}: an outbox table's rows go, as a process, to the namespaces named by
 * their aggregate type, each converted with its {@code --value-schema TYPE=FILE.avsc}; {@code statecast watch}
 * reads them with no schema file.
 */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CaptureOutboxCommandIT {
    private static final String ORDER = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
            + "{\"name\":\"customer\",\"type\":\"string\"},{\"name\":\"total\",\"type\":\"long\"}]}";
    private static final String CUSTOMER = "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"shop\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";

    @Test
    void anOutboxFeedsTheNamespaceOfEachAggregateType(KafkaFixture kafka, PostgresServer pg) throws Exception {
        String orders = provision(kafka);
        String customers = provision(kafka);
        String outbox = "cli_outbox_" + orders.replace('-', '_');
        sql(
                pg,
                "CREATE TABLE " + outbox + " (id bigserial PRIMARY KEY, aggregate_type text NOT NULL,"
                        + " aggregate_id text NOT NULL, payload jsonb)");
        List<String> command = command(kafka, pg, outbox, orders, customers);
        Result malformed = execute(replaced(command.subList(command.indexOf("capture"), command.size()), orders));
        assertEquals(2, malformed.code(), malformed.err());
        assertOneLine(malformed.err(), "with --outbox, --value-schema is TYPE=FILE.avsc, was " + orders);
        List<String> withNamespace = new ArrayList<>(command.subList(command.indexOf("capture"), command.size()));
        withNamespace.addAll(List.of("--namespace", orders));
        Result ignored = execute(withNamespace);
        assertEquals(2, ignored.code(), ignored.err());
        assertOneLine(ignored.err(), "--namespace, --key and a --value-schema without TYPE= do not go with --outbox");
        try (Materializer mo = materializer(kafka, orders);
                Materializer mc = materializer(kafka, customers)) {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(testFile("outbox-cli-", ".log"))
                    .start();
            try {
                Awaitility.await("the replication slot of the outbox")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> !rows(
                                        pg,
                                        "SELECT slot_name FROM pg_replication_slots WHERE slot_name = '" + outbox
                                                + "' AND active")
                                .isEmpty());
                sql(
                        pg,
                        "BEGIN",
                        insert(outbox, orders, "o-1", "{\"customer\":\"c-1\",\"total\":10}"),
                        insert(outbox, customers, "c-1", "{\"name\":\"Ada\"}"),
                        "COMMIT",
                        insert(outbox, orders, "o-2", "{\"customer\":\"c-1\",\"total\":20}"),
                        insert(outbox, orders, "o-1", "{\"customer\":\"c-1\",\"total\":15}"),
                        "DELETE FROM " + outbox, // housekeeping: not captured
                        insert(outbox, orders, "o-2", null)); // a null payload deletes o-2
                Awaitility.await("o-1 in " + orders + " (o-2 deleted), c-1 in " + customers)
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> live(kafka, orders) == 1
                                && kafka.readToEnd(orders + ".state").size() == 4
                                && live(kafka, customers) == 1);
            } finally {
                p.destroy(); // SIGTERM
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "a stop on SIGTERM is a success");
        }
        assertEquals(List.of("o-1 {\"customer\":\"c-1\",\"total\":15}"), watched(kafka, orders));
        assertEquals(List.of("c-1 {\"name\":\"Ada\"}"), watched(kafka, customers));
    }

    // The namespace's entries as `statecast watch --dump` writes them, reduced to "key value".
    private static List<String> watched(KafkaFixture kafka, String ns) throws IOException {
        File dump = testFile("dump-", "");
        Result r = execute(List.of(
                "watch",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--namespace",
                ns,
                "--exit-when-ready",
                "--dump",
                dump.toString()));
        assertEquals(0, r.code(), r.err());
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dump.toPath())) {
            JsonNode json = CaptureCli.JSON.readTree(line);
            out.add(json.get("key").asText() + " " + json.get("value"));
        }
        return out;
    }

    private static List<String> command(
            KafkaFixture kafka, PostgresServer pg, String outbox, String orders, String customers) throws IOException {
        List<String> c = new ArrayList<>(java());
        c.addAll(List.of("capture", "postgres", "--bootstrap-servers", kafka.bootstrapServers()));
        c.addAll(List.of(
                "--jdbc-url", pg.jdbcUrl(), "--user", pg.user(), "--password-file", passwordFile(pg.password())));
        c.addAll(List.of("--table", "public." + outbox, "--outbox", "--slot", outbox, "--offsets-topic", outbox));
        c.addAll(List.of("--value-schema", orders + "=" + schemaFile(ORDER)));
        c.addAll(List.of("--value-schema", customers + "=" + schemaFile(CUSTOMER)));
        return c;
    }

    // The arguments with the first --value-schema's TYPE=FILE replaced by TYPE alone.
    private static List<String> replaced(List<String> args, String type) {
        List<String> out = new ArrayList<>(args);
        out.set(out.indexOf("--value-schema") + 1, type);
        return out;
    }

    private static String schemaFile(String schema) throws IOException {
        File f = testFile("schema-", ".avsc");
        Files.writeString(f.toPath(), schema);
        return f.toString();
    }

    private static String insert(String outbox, String type, String id, String json) {
        return "INSERT INTO " + outbox + " (aggregate_type, aggregate_id, payload) VALUES ('" + type + "', '" + id
                + "', " + (json == null ? "NULL" : "'" + json + "'") + ")";
    }
}
