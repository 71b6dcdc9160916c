package io.statecast.cli.commands;

import io.statecast.capture.CaptureException;
import io.statecast.capture.OutboxTable;
import io.statecast.capture.PostgresCapture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statecast capture postgres}: Debezium's embedded engine on one PostgreSQL table. */
@Command(
        name = "postgres",
        mixinStandardHelpOptions = true,
        description =
                "Capture one PostgreSQL table into <ns>.changes (Debezium's embedded engine, pgoutput): a snapshot of the rows, then streaming. Runs until Ctrl-C/SIGTERM. Exit 2 when a setting must change (wrong password, missing table, wal_level not logical), 1 on a failure at run time.")
public final class CapturePostgresCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc-url", required = true, description = "jdbc:postgresql://HOST[:PORT]/DATABASE")
    String jdbcUrl;

    @Option(names = "--user", required = true, description = "Database user (REPLICATION, SELECT on the table).")
    String user;

    @Option(names = "--password-file", description = "File whose first line is the user's password.")
    Path passwordFile;

    @Option(names = "--table", required = true, description = "The table, schema.table (e.g. public.pods).")
    String table;

    @Option(names = "--namespace", description = "Namespace whose <ns>.changes the rows go to (not with --outbox).")
    String namespace;

    @Option(
            names = "--key",
            split = ",",
            description = "Key column(s), COL[,COL...]: one gives its value as the key, several a composite key.")
    List<String> key;

    @Option(names = "--slot", description = "Replication slot (default: statecast_<namespace>).")
    String slot;

    @Option(names = "--publication", description = "Publication (default: the slot's name; created when missing).")
    String publication;

    @Option(
            names = "--value-schema",
            description = {
                "Avro schema (.avsc) the columns are mapped onto by field name, instead of a schema derived from",
                "the columns. With --outbox: TYPE=FILE.avsc, once per aggregate type."
            })
    List<String> valueSchema;

    @Option(
            names = "--outbox",
            description = "The table is an outbox (aggregate_id, aggregate_type, payload): rows go to the namespace"
                    + " of their aggregate type.")
    boolean outbox;

    @Option(
            names = "--offsets-topic",
            defaultValue = "statecast.capture-offsets",
            description = "Compacted topic of the engine's offsets (default: ${DEFAULT-VALUE}).")
    String offsetsTopic;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PostgresCapture capture;
        try {
            capture = builder().build();
        } catch (CaptureException e) {
            err.println("statecast: " + e.getMessage());
            err.flush();
            return 2;
        }
        return CaptureRun.run(capture, err, "capture of " + table);
    }

    private PostgresCapture.Builder builder() {
        PostgresCapture.Builder b = PostgresCapture.builder()
                .jdbcUrl(jdbcUrl)
                .user(user)
                .password(CaptureRun.password(passwordFile))
                .table(table)
                .kafka(kafka.kafka())
                .offsetsTopic(offsetsTopic)
                .slot(slot)
                .publication(publication);
        if (namespace != null) {
            b.namespace(namespace);
        }
        if (key != null) {
            b.key(key);
        }
        if (outbox) {
            return b.outbox(OutboxTable.withSchemas(schemasByType()));
        }
        if (valueSchema != null && valueSchema.size() > 1) {
            throw CaptureException.config("--value-schema is given once (several, TYPE=FILE.avsc, only with --outbox)");
        }
        if (valueSchema != null && !valueSchema.isEmpty()) {
            b.valueSchema(parse(Path.of(valueSchema.get(0))));
        }
        return b;
    }

    private Map<String, Schema> schemasByType() {
        Map<String, Schema> out = new HashMap<>();
        for (String v : valueSchema == null ? List.<String>of() : valueSchema) {
            String[] kv = v.split("=", 2);
            if (kv.length != 2) {
                throw CaptureException.config("with --outbox, --value-schema is TYPE=FILE.avsc, was " + v);
            }
            out.put(kv[0], parse(Path.of(kv[1])));
        }
        return out;
    }

    static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException | org.apache.avro.SchemaParseException e) {
            throw CaptureException.config("cannot read --value-schema " + file + ": " + e.getMessage());
        }
    }
}
