package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An update that leaves a TOASTed (out-of-line) value unchanged does not carry it in the WAL unless the table's
 * replica identity is FULL: capture must still put the whole row, not Debezium's placeholder, in the namespace.
 */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CaptureToastIT {
    // 64 KB of hex digits: even compressed, far over the 2 KB at which PostgreSQL moves a value out of line.
    private static final String BIG = "(SELECT string_agg(md5(g::text || '%s'), '') FROM generate_series(1, 2000) g)";

    @Test
    void anUpdateThatLeavesAToastedValueUnchangedKeepsItWithTheDefaultReplicaIdentity(
            KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 1);
        String table = CaptureFixture.tableName("toast", ns);
        sql(pg, "CREATE TABLE " + table + " (id int PRIMARY KEY, n int, big text, doc jsonb)");
        try (CaptureFixture.Pipeline pipeline = CaptureFixture.pipeline(kafka, pg, ns, table, List.of("id"))) {
            CaptureFixture.awaitSlot(pg, pipeline.capture().slot());
            sql(
                    pg,
                    "INSERT INTO " + table + " SELECT g, 0, " + String.format(BIG, "a") + ", jsonb_build_object('v', "
                            + String.format(BIG, "b") + ") FROM generate_series(1, 3) g",
                    "UPDATE " + table + " SET n = n + 1", // big and doc unchanged: not in the WAL
                    "UPDATE " + table + " SET n = n + 1, big = big || 'x' WHERE id = 2",
                    "UPDATE " + table + " SET n = n + 1 WHERE id = 3");
            assertTrue(storedOutOfLine(pg, table), "the test's values must be TOASTed to test anything");
            Awaitility.await("every version in the state")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> kafka.readToEnd(ns.state()).size() == 3 + 3 + 1 + 1);
            CapturePostgresIT.awaitViewEquals(kafka, ns, CaptureFixture.table(pg, table, List.of("id")));
            assertEquals(List.of(), CaptureFixture.rejections(kafka, ns));
        }
    }

    private static boolean storedOutOfLine(PostgresServer pg, String table) {
        // pg_column_size is the stored (compressed) size; a row cannot hold more than about 2 KB inline.
        return CaptureFixture.table(
                                pg,
                                "(SELECT id FROM " + table + " WHERE pg_column_size(big) > 4000"
                                        + " AND pg_column_size(doc) > 4000) t",
                                List.of("id"))
                        .size()
                == 3;
    }
}
