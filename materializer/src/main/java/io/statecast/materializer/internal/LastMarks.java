package io.statecast.materializer.internal;

import io.statecast.common.StatecastException;
import io.statecast.common.kafka.TopicReader;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Progress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * The last progress mark or checksum, and the last checksum, of partitions of {@code <ns>.checksums}:
 * what the materializer said last about each partition (its last processed {@code changes} offset, its
 * digest, the headers it wrote). Read from each partition's tail, the whole partition when the tail holds
 * no checksum.
 */
final class LastMarks {
    /** Offsets read back from a partition's end first: several checksum intervals of marks. */
    private static final long TAIL = 1000;

    /** A mark: the {@code changes} offset it covers, when it was emitted, its headers. */
    record Mark(long srcOffset, long emittedAtMs, Headers headers) {}

    /** What one partition's tail says: the last mark of either kind and the last checksum (null when none). */
    record Tail(Mark lastMark, Checksum lastChecksum) {}

    private LastMarks() {}

    /** The tail of each partition (partitions that hold no mark are absent). */
    static Map<Integer, Tail> read(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Collection<Integer> partitions, Duration timeout) {
        Map<Integer, Tail> tails = new HashMap<>();
        List<TopicPartition> parts =
                partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        tails.putAll(readFrom(consumer, parts, TAIL, timeout));
        List<TopicPartition> again = parts.stream()
                .filter(tp -> tails.containsKey(tp.partition())
                        && tails.get(tp.partition()).lastChecksum() == null)
                .toList();
        if (!again.isEmpty()) {
            readFrom(consumer, again, Long.MAX_VALUE, timeout)
                    .forEach((p, t) -> tails.merge(p, t, (a, b) -> new Tail(a.lastMark(), b.lastChecksum())));
        }
        return tails;
    }

    /** The last mark of each partition, from its tail only (partitions whose tail holds none are absent). */
    static Map<Integer, Mark> lastMarks(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Collection<Integer> partitions, Duration timeout) {
        List<TopicPartition> parts =
                partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        Map<Integer, Mark> out = new HashMap<>();
        readFrom(consumer, parts, TAIL, timeout).forEach((p, t) -> out.put(p, t.lastMark()));
        return out;
    }

    private static Map<Integer, Tail> readFrom(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts, long back, Duration timeout) {
        consumer.assign(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, timeout);
        parts.forEach(tp -> consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - Math.min(back, end.get(tp)))));
        Map<Integer, Mark> marks = new HashMap<>();
        Map<Integer, Checksum> checksums = new HashMap<>();
        TopicReader.readToEnd(consumer, end, timeout, r -> take(r, marks, checksums));
        Map<Integer, Tail> out = new HashMap<>();
        marks.forEach((p, m) -> out.put(p, new Tail(m, checksums.get(p))));
        return out;
    }

    private static void take(ConsumerRecord<byte[], byte[]> r, Map<Integer, Mark> marks, Map<Integer, Checksum> sums) {
        Object v;
        try {
            v = r.value() == null ? null : Envelopes.decodeChecksumsValue(r.value());
        } catch (StatecastException e) {
            return; // not a mark this materializer can read: say nothing from it
        }
        if (v instanceof Checksum c) {
            sums.put(r.partition(), c);
            marks.put(r.partition(), new Mark(c.getSrcOffset(), c.getEmittedAt().toEpochMilli(), r.headers()));
        } else if (v instanceof Progress p) {
            marks.put(r.partition(), new Mark(p.getSrcOffset(), p.getEmittedAt().toEpochMilli(), r.headers()));
        }
    }
}
