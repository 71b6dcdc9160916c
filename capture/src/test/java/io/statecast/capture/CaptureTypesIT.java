package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.schemas.SchemaTopic;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The type mapping of docs/capture.md, column by column, from a real table: the derived schema registered in
 * {@code <ns>.schemas}, the values a view reads with it, and the key text of docs/protocol.md for each kind of
 * key column.
 */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CaptureTypesIT {
    // column -> (PostgreSQL type, the value written, the Avro type of the derived field, the value a view reads)
    private static final String[][] COLUMNS = {
        {"bo", "boolean NOT NULL", "true", "boolean", "true"},
        {"sm", "smallint", "7", "int", "7"},
        {"bi", "bigint", "9000000000", "long", "9000000000"},
        {"ob", "oid", "42", "long", "42"},
        {"re", "real", "1.5", "float", "1.5"},
        {"dp", "double precision", "2.25", "double", "2.25"},
        {"nu", "numeric(10,3) NOT NULL", "1234.567", "string", "1234.567"},
        {"mo", "money", "12.34", "string", "12.34"},
        {"tx", "text", "'text'", "string", "text"},
        {"vc", "varchar(8)", "'vc'", "string", "vc"},
        {"ch", "char(3)", "'ab'", "string", "ab "},
        {"uu", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "string", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
        {"js", "json", "'{\"a\": 1}'", "string", "{\"a\": 1}"},
        {"jb", "jsonb", "'{\"b\": 2}'", "string", "{\"b\": 2}"},
        {"xm", "xml", "'<x/>'", "string", "<x/>"},
        {"en", "%1$s", "'ok'", "string", "ok"},
        {"ip", "inet", "'10.0.0.1'", "string", "10.0.0.1"},
        {"iv", "interval", "'1 day 02:03:04.5'", "string", "P0Y0M1DT2H3M4.5S"},
        {"hs", "hstore", "'k=>v'", "string", "{\"k\":\"v\"}"},
        {"by", "bytea NOT NULL", "'\\x0102'", "bytes", "[1, 2]"},
        {"da", "date NOT NULL", "'2026-01-02'", "int date", "20455"},
        {"ti", "time", "'13:14:15.123456'", "long time-micros", "47655123456"},
        {"t0", "time(0)", "'13:14:15'", "long time-micros", "47655000000"},
        {"ts", "timestamp NOT NULL", "'2026-01-02 03:04:05.123456'", "long local-timestamp-micros", "1767323045123456"},
        {"t3", "timestamp(3)", "'2026-01-02 03:04:05.123'", "long local-timestamp-millis", "1767323045123"},
        {"tz", "timestamptz NOT NULL", "'2026-01-02 03:04:05+00'", "string", "2026-01-02T03:04:05.000000Z"},
        {"tt", "timetz", "'10:11:12+02'", "string", "08:11:12Z"},
        {"ia", "integer[]", "'{1,2}'", "array", "[1, 2]"},
        {"ta", "text[]", "'{a,b}'", "array", "[a, b]"},
        {"rg", "int4range", "'[1,5)'", "string", "[1,5)"},
        {"pt", "point", "'(1,2)'", "record", "{x=1.0, y=2.0, wkb=21 bytes, srid=null}"},
        {"co", "%2$s", "ROW(3, 'x')", "bytes", "[40, 51, 44, 120, 41]"}, // a type Debezium does not know: its text
    };
    private static final List<String> KEY = List.of("id", "bo", "nu", "by", "da", "ts", "tz");

    @Test
    void everyDocumentedColumnTypeHasItsAvroTypeItsValueAndItsKeyText(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 1);
        String table = CaptureFixture.tableName("types", ns);
        sql(
                pg,
                "CREATE EXTENSION IF NOT EXISTS hstore",
                "CREATE TYPE mood_" + table + " AS ENUM ('sad', 'ok')",
                "CREATE TYPE pair_" + table + " AS (n integer, s text)");
        StringBuilder create = new StringBuilder("CREATE TABLE " + table + " (id integer PRIMARY KEY");
        StringBuilder values = new StringBuilder();
        for (String[] c : COLUMNS) {
            create.append(", ").append(c[0]).append(' ').append(String.format(c[1], "mood_" + table, "pair_" + table));
            values.append(", ").append(c[2]);
        }
        sql(
                pg,
                create.append(")").toString(),
                "ALTER TABLE " + table + " REPLICA IDENTITY FULL", // key columns beyond the primary key
                "INSERT INTO " + table + " VALUES (1" + values + ")"); // for the snapshot
        try (CaptureFixture.Pipeline pipeline = CaptureFixture.pipeline(kafka, pg, ns, table, KEY)) {
            CaptureFixture.awaitSnapshot(kafka, ns, pg, table);
            sql(pg, "INSERT INTO " + table + " VALUES (2" + values + ")"); // streamed
            Awaitility.await("the streamed row in " + ns.state())
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> kafka.readToEnd(ns.state()).size() == 2);
            Schema schema = registered(kafka, ns, table);
            try (StateView<GenericRecord> view = StateView.builder(schema)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .build()) {
                view.start();
                view.awaitReady(Duration.ofSeconds(60));
                String key = "/true/1234.567/AQI=/20455/1767323045123456/2026-01-02T03:04:05.000000Z";
                assertEquals(
                        List.of("1" + key, "2" + key),
                        new TreeSet<>(view.snapshot().keySet()).stream().toList(),
                        "key text of each key column");
                assertEquals(expected(1), actual(schema, view.get("1" + key)), "snapshot: column: Avro type | value");
                assertEquals(expected(2), actual(schema, view.get("2" + key)), "streamed: column: Avro type | value");
            }
        }
    }

    private static Schema registered(KafkaFixture kafka, Namespace ns, String table) {
        try (SchemaTopic topic = SchemaTopic.open(kafka.clientConfig(), ns)) {
            List<Schema> schemas = topic.registered();
            assertEquals(1, schemas.size(), "one derived schema in " + ns.schemas() + ": " + schemas);
            assertEquals("statecast.capture.public." + table, schemas.get(0).getFullName());
            return schemas.get(0);
        }
    }

    private static Map<String, String> expected(int id) {
        Map<String, String> out = new TreeMap<>(Map.of("id", "int | " + id));
        for (String[] c : COLUMNS) {
            out.put(c[0], c[3] + " | " + c[4]);
        }
        return out;
    }

    // Every field is ["null", T] with default null; T named by its type and logical type, then the value.
    private static Map<String, String> actual(Schema schema, GenericRecord r) {
        Map<String, String> out = new TreeMap<>();
        for (Schema.Field f : schema.getFields()) {
            assertEquals(Schema.Type.UNION, f.schema().getType(), f.name());
            assertEquals(Schema.Type.NULL, f.schema().getTypes().get(0).getType(), f.name());
            assertTrue(f.hasDefaultValue() && f.defaultVal() == JsonProperties.NULL_VALUE, f.name());
            Schema t = f.schema().getTypes().get(1);
            String logical =
                    t.getLogicalType() == null ? "" : " " + t.getLogicalType().getName();
            Object v = r.get(f.name());
            out.put(f.name(), t.getType().getName() + logical + " | " + text(v));
        }
        return out;
    }

    // Bytes as their values; a nested record as field=value, its bytes fields by their length.
    private static String text(Object v) {
        if (v instanceof ByteBuffer b) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            return Arrays.toString(a);
        }
        if (v instanceof GenericRecord r) {
            List<String> fields = new ArrayList<>();
            for (Schema.Field f : r.getSchema().getFields()) {
                Object x = r.get(f.pos());
                fields.add(f.name() + "=" + (x instanceof ByteBuffer b ? b.remaining() + " bytes" : x));
            }
            return "{" + String.join(", ", fields) + "}";
        }
        return String.valueOf(v);
    }
}
