package io.statecast.consumer.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a slice view starts reading a partition of its marks topic. That partition holds the marks of
 * every source partition (key {@code int32BE(srcPartition)}), and only the latest mark of each counts
 * for read-your-writes; one source may have written many marks since another's last. Reading the last
 * {@code sources} records would miss the quiet ones, whose receipts would then wait for their next
 * checksum (the materializer's checksum interval). So the lookback reads the partition's tail, keys only,
 * in windows growing fourfold, until it holds a mark of every source (or reaches the beginning), and
 * returns the offset of the oldest of those latest marks. The view's other partitions are paused
 * meanwhile, so their positions do not move.
 */
final class MarksLookback {
    private static final Logger log = LoggerFactory.getLogger(MarksLookback.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long SCAN_NANOS = Duration.ofSeconds(10).toNanos();

    private final Consumer<byte[], byte[]> consumer;
    private final int sources;
    private final LongSupplier nanos;

    MarksLookback(Consumer<byte[], byte[]> consumer, int sources, LongSupplier nanos) {
        this.consumer = consumer;
        this.sources = sources;
        this.nanos = nanos;
    }

    /** Seeks each marks partition to where the latest mark of every source partition is, or near its end. */
    void seek(Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
        // Every partition needs a position before any poll: with auto.offset.reset=none a poll fails on an
        // assigned partition without one, paused or not (the first version's lookback of the first of two
        // partitions failed so, every time).
        end.forEach((tp, o) -> consumer.seek(tp, Math.max(begin.getOrDefault(tp, 0L), o - sources)));
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            TopicPartition tp = e.getKey();
            Set<TopicPartition> others = new HashSet<>(consumer.assignment());
            others.remove(tp);
            consumer.pause(others);
            try {
                consumer.seek(tp, start(tp, begin.getOrDefault(tp, 0L), e.getValue()));
            } finally {
                consumer.resume(others);
            }
        }
    }

    private long start(TopicPartition tp, long begin, long end) {
        long deadline = nanos.getAsLong() + SCAN_NANOS;
        long fallback = Math.max(begin, end - sources);
        try {
            for (long back = sources; ; back *= 4) {
                long from = Math.max(begin, end - back);
                Map<Integer, Long> latest = latestPerSource(tp, from, end, deadline);
                if (latest == null) { // the brokers did not deliver in time: the next checksums will do
                    log.info(
                            "marks lookback of {} gave up after 10 s; starting {} records before its end", tp, sources);
                    return fallback;
                }
                if (latest.size() >= sources || from == begin) {
                    return latest.values().stream()
                            .mapToLong(Long::longValue)
                            .min()
                            .orElse(fallback);
                }
            }
        } catch (KafkaException e) { // e.g. retention removed the window's start meanwhile
            log.info("marks lookback of {} failed ({}); starting {} records before its end", tp, e.toString(), sources);
            return fallback;
        }
    }

    // The offset of the last mark of each source partition in [from, end); null when the deadline passed.
    private Map<Integer, Long> latestPerSource(TopicPartition tp, long from, long end, long deadline) {
        Map<Integer, Long> latest = new HashMap<>();
        consumer.seek(tp, from);
        while (consumer.position(tp) < end) {
            if (nanos.getAsLong() > deadline) {
                return null;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
                if (r.offset() < end && r.key() != null && r.key().length == Integer.BYTES) {
                    latest.put(ByteBuffer.wrap(r.key()).getInt(), r.offset());
                }
            }
        }
        latest.keySet().removeIf(p -> p < 0 || p >= sources);
        return latest;
    }
}
