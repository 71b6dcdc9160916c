package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.testkit.internal.Compaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ForcedCompactionIT {

    @Test
    void forcedCompactionRemovesSupersededRecordsAndKeepsTheLatestValue(KafkaFixture kafka) {
        String topic = kafka.newNamespace() + ".compacted";
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, String> latest = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 50; k++) {
                String key = "key-" + k;
                String value = "v" + round;
                records.add(new ProducerRecord<>(topic, bytes(key), bytes(value)));
                latest.put(key, value);
            }
        }
        kafka.produce(topic, records);
        assertEquals(200, Compaction.duplicateKeys(kafka.readToEnd(topic)), "superseded records before compaction");

        kafka.forceCompaction(topic, Duration.ofSeconds(60));

        Map<String, String> after = new HashMap<>();
        int dataRecords = 0;
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(topic)) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (!key.startsWith(Compaction.MARKER_PREFIX)) {
                after.put(key, new String(r.value(), StandardCharsets.UTF_8));
                dataRecords++;
            }
        }
        assertEquals(50, dataRecords, "one record per key left");
        assertEquals(latest, after);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
