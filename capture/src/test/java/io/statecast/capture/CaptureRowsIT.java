package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastHeaders;
import io.statecast.consumer.StateView;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Composite keys, a column added mid-stream, rows too large for the pipeline, the source position on the state
 * record, and a user's value schema.
 */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CaptureRowsIT {

    @Test
    void aCompositeKeyIsItsEscapedColumnsJoinedBySlashes(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 2);
        String table = CaptureFixture.tableName("pods", ns);
        sql(
                pg,
                "CREATE TABLE " + table + " (namespace text, name text, node text, PRIMARY KEY (namespace, name))",
                "INSERT INTO " + table + " VALUES ('default', 'web-1', 'n1'), ('kube-system', 'dns/0', 'n2')");
        try (CaptureFixture.Pipeline pipeline =
                CaptureFixture.pipeline(kafka, pg, ns, table, List.of("namespace", "name"))) {
            CaptureFixture.awaitSnapshot(kafka, ns, pg, table);
            sql(
                    pg,
                    "INSERT INTO " + table + " VALUES ('default', 'web-2', 'n1'), ('a%b', 'c', 'n3')",
                    "UPDATE " + table + " SET node = 'n9' WHERE name = 'web-1'",
                    "UPDATE " + table + " SET name = 'web-3' WHERE name = 'web-2'", // a key change
                    "DELETE FROM " + table + " WHERE namespace = 'a%b'");
            Map<String, Map<String, String>> expected = CaptureFixture.table(pg, table, List.of("namespace", "name"));
            assertEquals(
                    List.of("default/web-1", "default/web-3", "kube-system/dns%2F0"), List.copyOf(expected.keySet()));
            CapturePostgresIT.awaitViewEquals(kafka, ns, expected);
        }
    }

    @Test
    void aColumnAddedMidStreamBecomesASchemaEvolution(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 2);
        String table = CaptureFixture.tableName("pods", ns);
        sql(pg, String.format(PodsWorkload.CREATE, table));
        PodsWorkload workload = new PodsWorkload(pg, table, 3);
        workload.run(100);
        try (CaptureFixture.Pipeline pipeline = CaptureFixture.pipeline(kafka, pg, ns, table, List.of("id"))) {
            CaptureFixture.awaitSnapshot(kafka, ns, pg, table);
            workload.run(300);
            sql(pg, "ALTER TABLE " + table + " ADD COLUMN zone text");
            workload.run(300);
            sql(pg, "UPDATE " + table + " SET zone = 'z-' || cpu WHERE cpu % 3 = 0");
            Map<String, Map<String, String>> expected = CaptureFixture.table(pg, table, List.of("id"));
            Awaitility.await("the new column's schema is the newest")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> CaptureFixture.newestSchema(kafka, ns).getField("zone") != null);
            CapturePostgresIT.awaitViewEquals(kafka, ns, expected);
            assertTrue(expected.values().stream().anyMatch(r -> r.get("zone") != null));
        }
    }

    @Test
    void rowsOverTheSizeLimitsBecomeRejectionsAndCaptureGoesOn(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 1);
        String table = CaptureFixture.tableName("blobs", ns);
        sql(pg, "CREATE TABLE " + table + " (id int PRIMARY KEY, body text)");
        try (CaptureFixture.Pipeline pipeline = CaptureFixture.pipeline(
                kafka,
                ns,
                Map.of(MaterializerConfig.MAX_PAYLOAD_BYTES, 100_000),
                CaptureFixture.capture(pg, kafka, "public." + table, ns).key("id"))) {
            sql(
                    pg,
                    "INSERT INTO " + table + " VALUES (1, 'small')",
                    // over the materializer's max.payload.bytes: it reaches changes, the materializer rejects it
                    "INSERT INTO " + table + " VALUES (2, repeat('x', 200000))",
                    // over what Kafka takes (1 MB): capture writes the rejection itself
                    "INSERT INTO " + table + " VALUES (3, (SELECT string_agg(md5(g::text), '') FROM"
                            + " generate_series(1, 40000) g))",
                    "INSERT INTO " + table + " VALUES (4, 'after')");
            Awaitility.await("both rejections and the rows after them")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> {
                        List<ConsumerRecord<byte[], byte[]>> rejections = kafka.readToEnd(ns.rejections());
                        assertEquals(2, rejections.size());
                        assertEquals(Map.of("1", List.of(1L), "4", List.of(1L)), CaptureFixture.versions(kafka, ns));
                    });
            List<Rejection> rejections = kafka.readToEnd(ns.rejections()).stream()
                    .map(r -> Envelopes.rejection().decode(r.value()))
                    .toList();
            assertTrue(rejections.stream().allMatch(r -> r.getReason() == RejectionReason.TOO_LARGE), "" + rejections);
            assertEquals(1, pipeline.capture().rejected(), "capture wrote the one Kafka could not take");
        }
    }

    @Test
    void theStateRecordCarriesTheCommitLsnTheRowsLsnAndTheTransactionId(KafkaFixture kafka, PostgresServer pg)
            throws Exception {
        Namespace ns = CaptureFixture.provision(kafka, 1);
        String table = CaptureFixture.tableName("pos", ns);
        sql(pg, "CREATE TABLE " + table + " (id text PRIMARY KEY, node text)");
        try (CaptureFixture.Pipeline pipeline = CaptureFixture.pipeline(kafka, pg, ns, table, List.of("id"))) {
            CaptureFixture.awaitSlot(pg, pipeline.capture().slot());
            long before = number(pg, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
            long txId;
            try (Connection c = pg.connect()) {
                c.setAutoCommit(false);
                txId = number(c, "SELECT txid_current() % 4294967296"); // Debezium's txId is the 32-bit xid
                c.createStatement().execute("INSERT INTO " + table + " VALUES ('p1', 'n1')");
                c.commit();
            }
            long after = number(pg, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
            Awaitility.await("the state record of p1")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> !kafka.readToEnd(ns.state()).isEmpty());
            Headers h = kafka.readToEnd(ns.state()).get(0).headers();
            long position = StatecastHeaders.readLong(h, StatecastHeaders.SOURCE_POSITION, -1);
            long sequence = StatecastHeaders.readLong(h, StatecastHeaders.SOURCE_SEQUENCE, -1);
            assertEquals(txId, StatecastHeaders.readLong(h, StatecastHeaders.SOURCE_TX_ID, -1));
            assertTrue(
                    before <= sequence && sequence < position && position <= after,
                    before + " <= row LSN " + sequence + " < commit LSN " + position + " <= " + after);
        }
    }

    @Test
    void aUserSchemaTakesTheColumnsByNameAndARowThatDoesNotFitIsARejection(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 1);
        String table = CaptureFixture.tableName("typed", ns);
        sql(
                pg,
                "CREATE TABLE " + table + " (id text PRIMARY KEY, phase text, labels jsonb, \"createdAt\" timestamptz,"
                        + " extra text)");
        Schema pod = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"t\",\"fields\":["
                        + "{\"name\":\"id\",\"type\":\"string\"},"
                        + "{\"name\":\"phase\",\"type\":{\"type\":\"enum\",\"name\":\"Phase\",\"symbols\":"
                        + "[\"PENDING\",\"RUNNING\"]}},"
                        + "{\"name\":\"labels\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}},"
                        + "{\"name\":\"createdAt\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                        + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]}");
        try (CaptureFixture.Pipeline pipeline = CaptureFixture.pipeline(
                kafka,
                ns,
                Map.of(),
                CaptureFixture.capture(pg, kafka, "public." + table, ns)
                        .key("id")
                        .valueSchema(pod))) {
            sql(
                    pg,
                    "INSERT INTO " + table + " VALUES ('a', 'RUNNING', '{\"app\": \"web\"}',"
                            + " '2026-12-01 13:00:00.123+00', 'x'), ('b', 'SLEEPING', NULL, now(), NULL),"
                            + " ('c', 'PENDING', NULL, '2026-12-01 14:00:00+01', NULL)");
            Awaitility.await("a and c in the state, b a rejection")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> {
                        assertEquals(Map.of("a", List.of(1L), "c", List.of(1L)), CaptureFixture.versions(kafka, ns));
                        assertEquals(1, kafka.readToEnd(ns.rejections()).size());
                    });
            Rejection r = Envelopes.rejection()
                    .decode(kafka.readToEnd(ns.rejections()).get(0).value());
            assertEquals(RejectionReason.INVALID, r.getReason());
            assertTrue(r.getMessage().contains("does not fit --value-schema t.Pod: phase:"), r.getMessage());
            try (StateView<GenericRecord> view = StateView.builder(pod)
                    .namespace(ns.name())
                    .kafka(kafka.clientConfig())
                    .build()) {
                view.start();
                view.awaitReady(Duration.ofSeconds(60));
                GenericRecord a = view.get("a");
                assertEquals("{app=web}", a.get("labels").toString(), "a jsonb column into a map");
                assertEquals(Instant.parse("2026-12-01T13:00:00.123Z").toEpochMilli(), a.get("createdAt"));
                assertEquals("none", a.get("note").toString(), "no column: the default");
                assertEquals("{}", view.get("c").get("labels").toString(), "NULL into a map: the default");
                assertEquals(
                        Instant.parse("2026-12-01T13:00:00Z").toEpochMilli(),
                        view.get("c").get("createdAt"));
            }
        }
    }

    private static long number(PostgresServer pg, String sql) throws SQLException {
        try (Connection c = pg.connect()) {
            return number(c, sql);
        }
    }

    private static long number(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
