package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.materializer.Materializer;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
        try (ConnectLikeTopic connect = ConnectLikeTopic.start(kafka, pg, table, topic);
                Materializer m = CaptureFixture.materializer(kafka, ns, Map.of())) {
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
            List<String> bad = intruders(kafka, topic);
            try (DebeziumTopicCapture again = reader(kafka, ns, topic).start()) {
                workload.run(300);
                CapturePostgresIT.awaitViewEquals(kafka, ns, CaptureFixture.table(pg, table, List.of("id")));
                assertEquals(Map.of(), CaptureFixture.gapsOrDuplicates(CaptureFixture.versions(kafka, ns)));
                assertTrue(
                        m.counts().replays() >= 300,
                        "Connect's replays dropped: " + m.counts().replays());
                assertTrue(
                        kafka.readToEnd(topic).stream().anyMatch(r -> r.value() == null),
                        "the topic has Connect's tombstones, which the reader skips");
                List<Rejection> rejected = CaptureFixture.rejections(kafka, ns);
                assertEquals(
                        new TreeSet<>(bad),
                        new TreeSet<>(
                                rejected.stream().map(DebeziumTopicIT::origin).toList()));
                assertTrue(
                        rejected.stream()
                                .allMatch(r -> r.getReason() == RejectionReason.INVALID
                                        && r.getMessage().contains("is not a Debezium record in JSON with schemas")),
                        "" + rejected);
                assertEquals(2, again.rejected());
            }
        }
    }

    // Records a Debezium topic should not hold: bytes that are not JSON, and JSON without Connect's schema
    // envelope (a connector with value.converter.schemas.enable=false). Each must be a rejection naming it.
    private static List<String> intruders(KafkaFixture kafka, String topic) {
        byte[] notJson = {1, 2, 3};
        byte[] noSchema = "{\"before\":null,\"after\":{\"id\":\"x\"},\"op\":\"c\"}".getBytes(StandardCharsets.UTF_8);
        return kafka
                .produce(
                        topic,
                        List.of(
                                new ProducerRecord<>(topic, 0, "k".getBytes(StandardCharsets.UTF_8), notJson),
                                new ProducerRecord<>(topic, 1, null, noSchema)))
                .stream()
                .map(md -> topic + "-" + md.partition() + "@" + md.offset())
                .toList();
    }

    private static String origin(Rejection r) {
        return r.getTopic() + "-" + r.getPartition() + "@" + r.getOffset();
    }

    private static DebeziumTopicCapture reader(KafkaFixture kafka, Namespace ns, String topic) {
        return DebeziumTopicCapture.builder()
                .topic(topic)
                .namespace(ns.name())
                .key("id")
                .kafka(kafka.clientConfig())
                .build();
    }

    // A Connect task restarted from an older offset writes records again: here the topic's first n records.
    private static void replayLikeConnect(KafkaFixture kafka, String topic, int n) {
        List<ProducerRecord<byte[], byte[]>> again = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(topic)) {
            if (again.size() < n && r.value() != null) {
                again.add(new ProducerRecord<>(topic, r.partition(), r.key(), r.value()));
            }
        }
        kafka.produce(topic, again);
    }
}
