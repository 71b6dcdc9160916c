package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Composite keys, a column added mid-stream, and rows too large for the pipeline. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CaptureRowsIT {

    @Test
    void aCompositeKeyIsItsEscapedColumnsJoinedBySlashes(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 2);
        String table = "pods_" + ns.name().replace('-', '_');
        sql(
                pg,
                "CREATE TABLE " + table + " (namespace text, name text, node text, PRIMARY KEY (namespace, name))",
                "INSERT INTO " + table + " VALUES ('default', 'web-1', 'n1'), ('kube-system', 'dns/0', 'n2')");
        try (Materializer m = CaptureFixture.materializer(kafka, ns, Map.of());
                PostgresCapture capture = CaptureFixture.capture(pg, kafka, "public." + table, ns)
                        .key("namespace", "name")
                        .build()
                        .start()) {
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
        String table = "pods_" + ns.name().replace('-', '_');
        sql(pg, String.format(PodsWorkload.CREATE, table));
        PodsWorkload workload = new PodsWorkload(pg, table, 3);
        workload.run(100);
        try (Materializer m = CaptureFixture.materializer(kafka, ns, Map.of());
                PostgresCapture capture = CaptureFixture.capture(pg, kafka, "public." + table, ns)
                        .key("id")
                        .build()
                        .start()) {
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
        String table = "blobs_" + ns.name().replace('-', '_');
        sql(pg, "CREATE TABLE " + table + " (id int PRIMARY KEY, body text)");
        try (Materializer m =
                        CaptureFixture.materializer(kafka, ns, Map.of(MaterializerConfig.MAX_PAYLOAD_BYTES, 100_000));
                PostgresCapture capture = CaptureFixture.capture(pg, kafka, "public." + table, ns)
                        .key("id")
                        .build()
                        .start()) {
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
            assertEquals(1, capture.rejected(), "capture wrote the one Kafka could not take");
        }
    }
}
