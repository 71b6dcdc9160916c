package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code capture debezium-topic}: a Debezium topic as a Kafka Connect cluster writes it (here Debezium's embedded
 * engine with the JSON converter and schemas, producing to Kafka), read into a namespace; Connect's replays and a
 * restart of the reader create no versions.
 */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DebeziumTopicIT {

    @Test
    void aDebeziumTopicWrittenWithTheJsonConverterFeedsTheNamespace(KafkaFixture kafka, PostgresServer pg)
            throws Exception {
        Namespace ns = CaptureFixture.provision(kafka, 3);
        String table = "pods_" + ns.name().replace('-', '_');
        String topic = "dbserver1.public." + table;
        kafka.createTopic(topic, 3, Map.of());
        sql(pg, String.format(PodsWorkload.CREATE, table));
        PodsWorkload workload = new PodsWorkload(pg, table, 5);
        workload.run(200);
        ExecutorService connect = Executors.newSingleThreadExecutor();
        try (DebeziumEngine<ChangeEvent<String, String>> engine = connectLike(kafka, pg, table, ns, topic);
                Materializer m = CaptureFixture.materializer(kafka, ns, Map.of())) {
            connect.execute(engine);
            int rows = CaptureFixture.table(pg, table, List.of("id")).size();
            Awaitility.await("Connect's snapshot is in " + topic)
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> kafka.readToEnd(topic).size() >= rows);
            DebeziumTopicCapture reader = reader(kafka, ns, topic).start();
            try {
                workload.run(1000);
                Awaitility.await("the reader is busy")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> reader.written() > 600);
            } finally {
                reader.close(); // a restart of the reader: it goes on from the offsets it committed
            }
            replayLikeConnect(kafka, topic, 300);
            try (DebeziumTopicCapture again = reader(kafka, ns, topic).start()) {
                workload.run(300);
                CapturePostgresIT.awaitViewEquals(kafka, ns, CaptureFixture.table(pg, table, List.of("id")));
                assertEquals(Map.of(), CaptureFixture.gapsOrDuplicates(CaptureFixture.versions(kafka, ns)));
                assertTrue(
                        m.counts().replays() >= 300,
                        "Connect's replays dropped: " + m.counts().replays());
            }
        } finally {
            connect.shutdownNow();
            sql(pg, "SELECT pg_drop_replication_slot('connect_" + table + "')");
        }
    }

    private static DebeziumTopicCapture reader(KafkaFixture kafka, Namespace ns, String topic) {
        return DebeziumTopicCapture.builder()
                .topic(topic)
                .namespace(ns.name())
                .key("id")
                .kafka(kafka.clientConfig())
                .build();
    }

    // A Connect task restarted from an older offset writes records again: here the first n of each partition.
    private static void replayLikeConnect(KafkaFixture kafka, String topic, int n) {
        List<ProducerRecord<byte[], byte[]>> again = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(topic)) {
            if (again.size() < n) {
                again.add(new ProducerRecord<>(topic, r.partition(), r.key(), r.value()));
            }
        }
        kafka.produce(topic, again);
    }

    /** Debezium's PostgreSQL connector with the JSON converter (schemas on), producing to {@code topic}. */
    private static DebeziumEngine<ChangeEvent<String, String>> connectLike(
            KafkaFixture kafka, PostgresServer pg, String table, Namespace ns, String topic) {
        Properties p = new Properties();
        p.setProperty("name", "connect-like-" + table);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", pg.host());
        p.setProperty("database.port", Integer.toString(pg.port()));
        p.setProperty("database.dbname", pg.database());
        p.setProperty("database.user", pg.user());
        p.setProperty("database.password", pg.password());
        p.setProperty("topic.prefix", "dbserver1");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", "connect_" + table);
        p.setProperty("publication.name", "connect_" + table);
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "public." + table);
        p.setProperty("converter.schemas.enable", "true");
        return DebeziumEngine.create(Json.class)
                .using(p)
                .notifying((records, committer) -> {
                    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
                    for (ChangeEvent<String, String> e : records) {
                        if (topic.equals(e.destination()) && e.value() != null) {
                            out.add(new ProducerRecord<>(topic, bytes(e.key()), bytes(e.value())));
                        }
                    }
                    kafka.produce(topic, out);
                    for (ChangeEvent<String, String> e : records) {
                        committer.markProcessed(e);
                    }
                    committer.markBatchFinished();
                })
                .build();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
