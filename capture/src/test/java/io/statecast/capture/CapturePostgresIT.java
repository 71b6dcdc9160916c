package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.materializer.Materializer;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Capture from a real PostgreSQL into a real broker, through the real materializer, into a view. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CapturePostgresIT {

    @Test
    void aViewEqualsTheTableAfter5000RandomChangesInMultiRowTransactions(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 3);
        String table = "pods_" + ns.name().replace('-', '_');
        sql(pg, String.format(PodsWorkload.CREATE, table));
        PodsWorkload workload = new PodsWorkload(pg, table, 19);
        workload.run(300); // rows for the snapshot
        List<String> atSnapshot = workload.live();
        workload.resetCounts();
        try (Materializer m = CaptureFixture.materializer(kafka, ns, Map.of());
                PostgresCapture capture = CaptureFixture.capture(pg, kafka, "public." + table, ns)
                        .key("id")
                        .build()
                        .start()) {
            CaptureFixture.awaitSnapshot(kafka, ns, pg, table);
            int transactions = workload.run(5000);
            Map<String, Map<String, String>> expected = CaptureFixture.table(pg, table, List.of("id"));
            awaitViewEquals(kafka, ns, expected);
            CaptureFixture.assertOneVersionPerRowChange(kafka, ns, workload.expectedVersions(atSnapshot));
            assertEquals(List.of(), CaptureFixture.rejections(kafka, ns));
            System.out.printf(
                    "capture: 5000 changes in %d transactions after a snapshot, %d rows in the table, %d changes"
                            + " written, %d in %s%n",
                    transactions,
                    expected.size(),
                    capture.written(),
                    kafka.readToEnd(ns.changes()).size(),
                    ns.changes());
        }
    }

    static void awaitViewEquals(KafkaFixture kafka, Namespace ns, Map<String, Map<String, String>> expected) {
        Awaitility.await("the view equals the table")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions() // no state record yet, a view that is not ready yet
                .untilAsserted(() -> {
                    try (StateView<GenericRecord> view = CaptureFixture.view(kafka, ns)) {
                        assertEquals(expected, CaptureFixture.text(view));
                    }
                });
    }
}
