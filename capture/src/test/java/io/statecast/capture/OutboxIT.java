package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.materializer.Materializer;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transactional outbox: rows of one outbox table go to the namespaces of their aggregate types. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OutboxIT {
    private static final Schema ORDER = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                    + "{\"name\":\"customer\",\"type\":\"string\"},{\"name\":\"total\",\"type\":\"long\"}]}");
    private static final Schema CUSTOMER = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"shop\",\"fields\":["
                    + "{\"name\":\"name\",\"type\":\"string\"}]}");

    @Test
    void outboxRowsBecomeChangesOfTheirAggregateInTheNamespaceOfTheirType(KafkaFixture kafka, PostgresServer pg) {
        Namespace orders = CaptureFixture.provision(kafka, 2);
        Namespace customers = CaptureFixture.provision(kafka, 1);
        String outbox = "outbox_" + orders.name().replace('-', '_');
        sql(
                pg,
                "CREATE TABLE " + outbox + " (id bigserial PRIMARY KEY, aggregate_type text NOT NULL,"
                        + " aggregate_id text NOT NULL, payload jsonb)");
        try (Materializer mo = CaptureFixture.materializer(kafka, orders, Map.of());
                Materializer mc = CaptureFixture.materializer(kafka, customers, Map.of());
                PostgresCapture capture = PostgresCapture.builder()
                        .jdbcUrl(pg.jdbcUrl())
                        .user(pg.user())
                        .password(pg.password())
                        .table("public." + outbox)
                        .outbox(OutboxTable.withSchemas(Map.of(orders.name(), ORDER, customers.name(), CUSTOMER)))
                        .slot("outbox_" + orders.name().replace('-', '_'))
                        .offsetsTopic(orders.name() + ".capture-offsets")
                        .kafka(kafka.clientConfig())
                        .build()
                        .start()) {
            CaptureFixture.awaitSlot(pg, capture.slot());
            String o = "'" + orders.name() + "'";
            String c = "'" + customers.name() + "'";
            sql(
                    pg,
                    "BEGIN",
                    insert(outbox, o, "o-1", "{\"customer\":\"c-1\",\"total\":10}"),
                    insert(outbox, c, "c-1", "{\"name\":\"Ada\"}"),
                    "COMMIT",
                    insert(outbox, o, "o-2", "{\"customer\":\"c-1\",\"total\":20}"),
                    insert(outbox, o, "o-1", "{\"customer\":\"c-1\",\"total\":15}"), // a later state of o-1
                    "DELETE FROM " + outbox, // housekeeping: not captured
                    insert(outbox, o, "o-2", null), // a null payload deletes the aggregate
                    insert(outbox, o, "o-3", "{\"customer\":\"c-1\"}"), // does not fit Order: a rejection
                    insert(outbox, o, "o-4", "{\"customer\":\"c-2\",\"total\":40}"));
            Awaitility.await("the orders and customers namespaces hold the aggregates")
                    .atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertEquals(
                                Map.of(
                                        "o-1",
                                        "{\"customer\": \"c-1\", \"total\": 15}",
                                        "o-4",
                                        "{\"customer\": \"c-2\", \"total\": 40}"),
                                entries(kafka, orders, ORDER));
                        assertEquals(Map.of("c-1", "{\"name\": \"Ada\"}"), entries(kafka, customers, CUSTOMER));
                    });
            List<Rejection> rejected = kafka.readToEnd(orders.rejections()).stream()
                    .map(r -> Envelopes.rejection().decode(r.value()))
                    .toList();
            assertEquals(1, rejected.size());
            assertEquals(RejectionReason.INVALID, rejected.get(0).getReason());
            assertTrue(
                    rejected.get(0).getMessage().contains("total"),
                    rejected.get(0).getMessage());
        }
    }

    private static String insert(String outbox, String type, String id, String json) {
        return "INSERT INTO " + outbox + " (aggregate_type, aggregate_id, payload) VALUES (" + type + ", '" + id + "', "
                + (json == null ? "NULL" : "'" + json + "'") + ")";
    }

    private static Map<String, String> entries(KafkaFixture kafka, Namespace ns, Schema schema) {
        try (StateView<GenericRecord> view = StateView.builder(schema)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            view.start();
            view.awaitReady(Duration.ofSeconds(30));
            Map<String, String> out = new TreeMap<>();
            view.snapshot().forEach((k, v) -> out.put(k, v.toString()));
            return out;
        }
    }
}
