package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.TopicReader;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The last {@code changes} offset of given partitions that the materializer rejected since a time: a
 * rejected change leaves no state record, and the rejections topic is keyed by entity (any partition),
 * so every partition is read from the first record written at or after {@code sinceMs}.
 */
final class RejectionsTail {
    private RejectionsTail() {}

    /** Per {@code changes} partition of {@code partitions}, the highest rejected offset found (absent: none). */
    static Map<Integer, Long> lastRejected(
            KafkaConsumer<byte[], byte[]> consumer,
            Namespace ns,
            Set<Integer> partitions,
            long sinceMs,
            Duration timeout) {
        List<TopicPartition> parts = TopicReader.partitions(consumer, ns.rejections(), timeout);
        consumer.assign(parts);
        Map<TopicPartition, Long> query = new HashMap<>();
        parts.forEach(tp -> query.put(tp, sinceMs));
        Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(query, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
        parts.forEach(tp -> consumer.seek(
                tp, from.get(tp) == null ? end.get(tp) : from.get(tp).offset()));
        Map<Integer, Long> last = new HashMap<>();
        TopicReader.readToEnd(consumer, end, timeout, r -> take(r, ns, partitions, last));
        return last;
    }

    private static void take(
            ConsumerRecord<byte[], byte[]> r, Namespace ns, Set<Integer> partitions, Map<Integer, Long> last) {
        Rejection rejection;
        try {
            rejection = r.value() == null ? null : Envelopes.rejection().decode(r.value());
        } catch (StatecastException e) {
            return; // not a rejection this materializer wrote
        }
        if (rejection != null
                && ns.changes().equals(rejection.getTopic())
                && partitions.contains(rejection.getPartition())) {
            last.merge(rejection.getPartition(), rejection.getOffset(), Math::max);
        }
    }
}
