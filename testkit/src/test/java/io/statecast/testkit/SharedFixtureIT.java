package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedFixtureIT {

    @Test
    void recordsProducedThroughTheFixtureAreReadBackInOrder(KafkaFixture kafka) {
        String topic = kafka.newNamespace() + ".roundtrip";
        kafka.createTopic(topic, 3, Map.of());
        List<RecordMetadata> sent = kafka.produce(
                topic, List.of(record(topic, 0, "a", "1"), record(topic, 0, "b", "2"), record(topic, 2, "c", "3")));

        List<ConsumerRecord<byte[], byte[]>> read = kafka.readToEnd(topic);

        assertEquals(3, read.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).partition(), read.get(i).partition());
            assertEquals(sent.get(i).offset(), read.get(i).offset());
        }
        assertArrayEquals("3".getBytes(StandardCharsets.UTF_8), read.get(2).value());
    }

    @Test
    void everyTestClassOfTheJvmSharesOneCluster(KafkaFixture kafka) {
        assertEquals(1, KafkaFixture.starts(), "clusters started in this JVM");
        assertEquals(
                kafka.bootstrapServers(),
                OtherSharedFixtureIT.seenBootstrap == null
                        ? kafka.bootstrapServers()
                        : OtherSharedFixtureIT.seenBootstrap);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, String value) {
        return new ProducerRecord<>(
                topic, partition, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}
