package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.materializer.ChangesLostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each {@code <ns>.changes} partition resumes, set before Kafka Streams starts so that its source never
 * resets by itself ({@code AutoOffsetReset.none()}: a reset to the earliest offset would skip, in silence,
 * changes deleted before they were processed). A partition without a committed offset resumes after the last
 * change its meta row says was processed, or at its first offset when it has none; then every partition whose
 * first offset is past where it resumes lost changes: {@link ChangesLostException}.
 */
final class ChangesPositions {
    private static final Logger log = LoggerFactory.getLogger(ChangesPositions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ChangesPositions() {}

    /**
     * Commits the starting offsets the group lacks and checks that nothing between where each partition
     * resumes and its first offset is gone.
     *
     * @throws ChangesLostException naming the first partition that lost changes
     */
    static void check(Map<String, Object> kafka, Admin admin, Namespace ns, String applicationId, int partitions) {
        List<TopicPartition> parts = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(ns.changes(), p))
                .toList();
        Map<TopicPartition, Long> resume = GroupOffsets.committed(admin, applicationId);
        Map<TopicPartition, Long> first;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, Map.of())) {
            first = consumer.beginningOffsets(parts, TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> missing = new HashMap<>();
            Map<Integer, Long> processed = lastProcessed(consumer, applicationId, partitions);
            for (TopicPartition tp : parts) {
                if (!resume.containsKey(tp)) {
                    Long last = processed.get(tp.partition());
                    long start = last == null ? first.get(tp) : last + 1;
                    missing.put(tp, new OffsetAndMetadata(start));
                    resume.put(tp, start);
                }
            }
            commit(admin, applicationId, missing);
        }
        for (TopicPartition tp : parts) {
            if (first.get(tp) > resume.get(tp)) {
                throw new ChangesLostException(ns.changes(), tp.partition(), resume.get(tp), first.get(tp));
            }
        }
    }

    // The last processed changes offset of each partition's meta row, from the tail of the meta changelog.
    private static Map<Integer, Long> lastProcessed(
            KafkaConsumer<byte[], byte[]> consumer, String applicationId, int partitions) {
        String topic = StoreRebuild.changelog(applicationId, TopologyNames.META_STORE);
        Map<Integer, Long> out = new HashMap<>();
        if (consumer.listTopics(TIMEOUT).get(topic) == null) {
            return out;
        }
        List<TopicPartition> parts = TopicReader.partitions(consumer, topic, TIMEOUT).stream()
                .filter(tp -> tp.partition() < partitions)
                .toList();
        consumer.assign(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, TIMEOUT);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, TIMEOUT);
        parts.forEach(tp -> consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - 100)));
        TopicReader.readToEnd(consumer, end, TIMEOUT, r -> take(r, out));
        return out;
    }

    private static void take(ConsumerRecord<byte[], byte[]> r, Map<Integer, Long> out) {
        if (r.value() != null && r.value().length >= 40) {
            out.put(r.partition(), PartitionMeta.decode(r.value()).lastSrcOffset);
        }
    }

    // Only an empty group takes offsets from outside; an instance already running has committed them.
    private static void commit(Admin admin, String applicationId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            admin.alterConsumerGroupOffsets(applicationId, offsets).all().get();
            log.info("[materializer] group {}: starting offsets {}", applicationId, offsets);
        } catch (ExecutionException e) {
            log.warn(
                    "[materializer] group {}: cannot set the starting offsets {} ({}); another instance runs",
                    applicationId,
                    offsets,
                    e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        }
    }
}
