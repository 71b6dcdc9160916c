package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Uses its own cluster: stopping the shared one would disturb other test classes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerRestartIT {

    @Test
    void aRestartedBrokerKeepsItsDataAndItsAddress() {
        try (KafkaFixture kafka =
                KafkaFixture.of(EmbeddedKafkaCluster.builder().build().start())) {
            String topic = "restart";
            kafka.createTopic(topic, 2, Map.of());
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                records.add(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[10]));
            }
            kafka.produce(topic, records);
            String address = kafka.bootstrapServers();

            kafka.embedded().stopBroker(0);
            assertFalse(kafka.embedded().isRunning(0));
            kafka.embedded().startBroker(0);

            assertEquals(address, kafka.bootstrapServers());
            assertEquals(100, kafka.readToEnd(topic).size());
        }
    }

    @Test
    void aThreeBrokerClusterServesAReplicatedTopic() {
        try (KafkaFixture kafka = KafkaFixture.of(
                EmbeddedKafkaCluster.builder().brokers(3).build().start())) {
            kafka.createTopic("replicated", 3, Map.of("min.insync.replicas", "2"));
            assertEquals(
                    3,
                    KafkaFixture.get(kafka.admin()
                                    .describeTopics(List.of("replicated"))
                                    .allTopicNames())
                            .get("replicated")
                            .partitions()
                            .get(0)
                            .replicas()
                            .size());
            kafka.produce("replicated", List.of(new ProducerRecord<>("replicated", new byte[1], new byte[1])));
            assertEquals(1, kafka.readToEnd("replicated").size());
        }
    }
}
