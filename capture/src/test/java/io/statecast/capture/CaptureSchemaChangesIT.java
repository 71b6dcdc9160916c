package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code DROP COLUMN} and a widening type change mid-stream, as docs/capture.md ("Schema changes") says. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CaptureSchemaChangesIT {

    @Test
    void aDroppedColumnAndAnIntegerWidenedToBigintKeepTheViewEqualToTheTable(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 2);
        String table = CaptureFixture.tableName("pods", ns);
        sql(pg, String.format(PodsWorkload.CREATE, table));
        PodsWorkload workload = new PodsWorkload(pg, table, 13);
        workload.run(100);
        try (CaptureFixture.Pipeline pipeline = CaptureFixture.pipeline(kafka, pg, ns, table, List.of("id"))) {
            CaptureFixture.awaitSnapshot(kafka, ns, pg, table);
            Schema first = CaptureFixture.newestSchema(kafka, ns);
            sql(pg, "ALTER TABLE " + table + " DROP COLUMN note");
            sql(pg, "UPDATE " + table + " SET cpu = cpu + 1");
            Awaitility.await("a schema without note is the newest")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> CaptureFixture.newestSchema(kafka, ns).getField("note") == null);
            CapturePostgresIT.awaitViewEquals(kafka, ns, CaptureFixture.table(pg, table, List.of("id")));
            try (StateView<GenericRecord> old = view(kafka, ns, first)) {
                assertEquals(
                        CaptureFixture.table(pg, table, List.of("id")).keySet(),
                        old.snapshot().keySet());
                old.snapshot().values().forEach(r -> assertNull(r.get("note"), "a reader of the old schema: null"));
            }
            sql(pg, "ALTER TABLE " + table + " ALTER COLUMN restarts TYPE bigint");
            sql(pg, "UPDATE " + table + " SET restarts = restarts + 3000000000 WHERE cpu % 2 = 0");
            sql(
                    pg,
                    "INSERT INTO " + table + " (id, node, phase, restarts, cpu, ready) SELECT 'wide-' || g, 'node-1',"
                            + " 'Running', 5000000000 + g, g, true FROM generate_series(1, 50) g",
                    "DELETE FROM " + table + " WHERE cpu % 5 = 0");
            Awaitility.await("restarts is a long in the newest schema")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> CaptureFixture.newestSchema(kafka, ns)
                                    .getField("restarts")
                                    .schema()
                                    .getTypes()
                                    .get(1)
                                    .getType()
                            == Schema.Type.LONG);
            CapturePostgresIT.awaitViewEquals(kafka, ns, CaptureFixture.table(pg, table, List.of("id")));
            assertEquals(List.of(), CaptureFixture.rejections(kafka, ns));
        }
    }

    private static StateView<GenericRecord> view(KafkaFixture kafka, Namespace ns, Schema schema) {
        StateView<GenericRecord> view = StateView.builder(schema)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build();
        view.start();
        view.awaitReady(Duration.ofSeconds(60));
        return view;
    }
}
