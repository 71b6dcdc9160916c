package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.kafka.KafkaClients;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A slice's marks lookback reads the tail with a consumer of its own and only seeks the view's: a fetch of
 * the view's consumer that reached the end would be held by the broker for the view's {@code
 * fetch.max.wait.ms}, and every request after it on the connection would wait behind it (0.5 s per window
 * and once more before the view's first fetch, with the default).
 */
@StatecastKafkaTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MarksLookbackIT {
    private static final int SOURCES = 3;

    @Test
    void theViewsConsumerSendsNoFetchAndStartsAtTheOldestLatestMark(KafkaFixture kafka) {
        String topic = kafka.newNamespace() + ".slice-checksums.by-node";
        kafka.createTopic(topic, 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ProducerRecord<byte[], byte[]>> marks = new ArrayList<>();
        marks.add(mark(topic, 1));
        marks.add(mark(topic, 2));
        marks.add(mark(topic, 0)); // offset 2: source 0's latest, quiet since
        for (int i = 0; i < 40; i++) {
            marks.add(mark(topic, 1 + i % 2));
        }
        kafka.produce(topic, marks);
        List<Consumer<byte[], byte[]>> scanners = new ArrayList<>();
        try (Consumer<byte[], byte[]> view =
                KafkaClients.consumer(kafka.clientConfig(), Map.of("auto.offset.reset", "none"))) {
            view.assign(List.of(tp));
            new MarksLookback(view, () -> scanner(kafka, scanners), SOURCES, System::nanoTime)
                    .seek(view.beginningOffsets(List.of(tp)), view.endOffsets(List.of(tp)));
            assertEquals(2, view.position(tp), "the oldest of the sources' latest marks");
            assertEquals(0.0, fetches(view), "fetch requests the view's consumer sent during the lookback");
            assertEquals(1, scanners.size(), "one scanning consumer");
            assertThrows(IllegalStateException.class, () -> scanners.get(0).assignment(), "the scanner is closed");
        }
    }

    private static Consumer<byte[], byte[]> scanner(KafkaFixture kafka, List<Consumer<byte[], byte[]>> made) {
        Consumer<byte[], byte[]> c =
                KafkaClients.consumer(MarksLookback.scannerProperties(kafka.clientConfig(), "scan"), Map.of());
        made.add(c);
        return c;
    }

    private static ProducerRecord<byte[], byte[]> mark(String topic, int source) {
        return new ProducerRecord<>(
                topic, 0, ByteBuffer.allocate(4).putInt(source).array(), new byte[] {1});
    }

    private static double fetches(Consumer<byte[], byte[]> c) {
        for (Map.Entry<MetricName, ? extends Metric> e : c.metrics().entrySet()) {
            if (e.getKey().name().equals("fetch-total")
                    && e.getKey().group().equals("consumer-fetch-manager-metrics")
                    && e.getKey().tags().size() == 1) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no fetch-total metric among " + c.metrics().keySet());
    }
}
