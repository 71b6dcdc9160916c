package io.statecast.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads partitions from the beginning to the end offsets captured when the read starts. Done means
 * every partition's {@code position()} reached its end offset — never "last record's offset + 1",
 * because transaction markers occupy offsets and a {@code read_committed} consumer never sees them.
 */
public final class TopicReader {
    private TopicReader() {}

    /** Every partition of {@code topic}; throws when the topic does not exist. */
    public static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic, Duration timeout) {
        var infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new MissingTopicException(topic);
        }
        return infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .collect(Collectors.toList());
    }

    /** Reads {@code topic} from the beginning to its current end, handing every record to {@code handler}. */
    public static void readAll(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            Duration timeout,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        List<TopicPartition> parts = partitions(consumer, topic, timeout);
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        readToEnd(consumer, consumer.endOffsets(parts, timeout), timeout, handler);
    }

    /**
     * Polls the assigned consumer until each partition of {@code end} reached its end offset.
     *
     * @throws TimeoutException when {@code timeout} passes first
     */
    public static void readToEnd(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> end,
            Duration timeout,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Reading " + end.keySet() + " did not reach " + end + " within " + timeout);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(handler);
        }
    }

    /** Whether every partition's position reached its end offset. */
    public static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** All records of {@code topic} in partition then offset order. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        readAll(consumer, topic, timeout, out::add);
        out.sort((a, b) -> a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }
}
