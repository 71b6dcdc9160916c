package io.statecast.audit.internal;

import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Streams a topic from its beginning to the end offsets captured when the read starts, read-only:
 * {@code assign()}, no group, no commits, {@code read_committed} (see {@link KafkaClients#consumer}).
 * Records of one partition arrive in offset order; partitions interleave, which is harmless because every
 * replay keeps its state per partition or per key (a key lives in one partition).
 */
public final class LogReader {
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READ_TIMEOUT = Duration.ofHours(2);
    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

    private final Map<String, ?> kafka;
    private final BiConsumer<String, Double> progress;

    /** A reader over the user's client config; {@code progress} receives (topic, percent). */
    public LogReader(Map<String, ?> kafka, BiConsumer<String, Double> progress) {
        this.kafka = kafka;
        this.progress = progress;
    }

    /** Hands every record of {@code topic}, up to its end at the start of the call, to {@code handler}. */
    public void forEach(String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka, Map.of("client.id", "statecast-audit"))) {
            List<TopicPartition> parts = TopicReader.partitions(c, topic, METADATA_TIMEOUT);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, METADATA_TIMEOUT);
            Map<TopicPartition, Long> start = c.beginningOffsets(parts, METADATA_TIMEOUT);
            long total = Math.max(
                    1,
                    parts.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum());
            long[] seen = {0};
            long[] lastReport = {System.nanoTime()};
            TopicReader.readToEnd(c, end, READ_TIMEOUT, r -> {
                handler.accept(r);
                seen[0]++;
                // Offsets include transaction markers, so the percentage is an estimate: capped below 100.
                if (System.nanoTime() - lastReport[0] > PROGRESS_EVERY_NANOS) {
                    progress.accept(topic, Math.min(99.0, 100.0 * seen[0] / total));
                    lastReport[0] = System.nanoTime();
                }
            });
            progress.accept(topic, 100.0);
        }
    }
}
