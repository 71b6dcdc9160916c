package io.statecast.materializer.internal;

import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/** The consumer half of a namespace's status: the last checksums, the recent rejections. No group, no commits. */
public final class TopicTails {
    /** Records read back from the end of each checksums partition (checksums and progress marks interleave). */
    static final int CHECKSUM_TAIL = 2_000;

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, Object> kafka;

    /** A partition's latest checksum: when it was emitted and the entries it counted. */
    public record LastChecksum(Instant emittedAt, long count) {}

    public TopicTails(Map<String, ?> kafka) {
        this.kafka = new HashMap<>(kafka);
    }

    // One consumer per topic: reassigning one would log a WARN for every fetch still in flight.
    private KafkaConsumer<byte[], byte[]> consumer(String topic) {
        return KafkaClients.consumer(kafka, Map.of("client.id", "statecast-status-" + topic));
    }

    /** Per state partition, the latest checksum among the last {@value #CHECKSUM_TAIL} records of each partition. */
    public Map<Integer, LastChecksum> lastChecksums(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            return lastChecksums(consumer, topic);
        }
    }

    private static Map<Integer, LastChecksum> lastChecksums(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> parts = TopicReader.partitions(consumer, topic, TIMEOUT);
        consumer.assign(parts); // before any offset lookup: the consumer WARNs of offsets for unassigned partitions
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, TIMEOUT);
        parts.forEach(tp -> consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - CHECKSUM_TAIL)));
        Map<Integer, LastChecksum> out = new TreeMap<>();
        TopicReader.readToEnd(consumer, end, TIMEOUT, r -> {
            if (checksum(r) instanceof Checksum c) {
                out.merge(
                        c.getPartition(),
                        new LastChecksum(c.getEmittedAt(), c.getCount()),
                        (a, b) -> b.emittedAt().isAfter(a.emittedAt()) ? b : a);
            }
        });
        return out;
    }

    /** Rejections written at or after {@code since}, counted by reason code (undecodable records as UNDECODABLE). */
    public Map<String, Long> rejectionsSince(String topic, Instant since) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            return rejectionsSince(consumer, topic, since);
        }
    }

    private static Map<String, Long> rejectionsSince(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Instant since) {
        List<TopicPartition> parts = TopicReader.partitions(consumer, topic, TIMEOUT);
        consumer.assign(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, TIMEOUT);
        Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(
                parts.stream().collect(Collectors.toMap(tp -> tp, tp -> since.toEpochMilli())), TIMEOUT);
        parts.forEach(tp -> consumer.seek(
                tp, start.get(tp) == null ? end.get(tp) : start.get(tp).offset()));
        Map<String, Long> out = new TreeMap<>();
        TopicReader.readToEnd(consumer, end, TIMEOUT, r -> out.merge(reason(r), 1L, Long::sum));
        return out;
    }

    private static Object checksum(ConsumerRecord<byte[], byte[]> r) {
        try {
            return r.value() == null ? null : Envelopes.decodeChecksumsValue(r.value());
        } catch (StatecastException e) {
            return null; // a foreign record: not a checksum
        }
    }

    private static String reason(ConsumerRecord<byte[], byte[]> r) {
        try {
            Rejection rej = Envelopes.rejection().decode(r.value());
            return rej.getReason().name();
        } catch (StatecastException | NullPointerException e) {
            return "UNDECODABLE";
        }
    }
}
