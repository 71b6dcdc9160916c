package io.statecast.consumer.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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
 * returns the offset of the oldest of those latest marks.
 *
 * <p>The tail is read by a consumer of its own, closed when done, that waits at most {@link #SCAN_WAIT_MS}
 * for a fetch: reading it with the view's consumer cost a view up to {@code fetch.max.wait.ms} (500 ms by
 * default) per window and once more before its first fetch. A consumer sends its next fetch as soon as a
 * poll returns, at the end of the partition, where the broker holds it for {@code fetch.max.wait.ms}, and
 * sends no other fetch to that broker until it comes back; every seek that followed waited for it. The
 * view's consumer is only seeked here.
 */
final class MarksLookback {
    private static final Logger log = LoggerFactory.getLogger(MarksLookback.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long SCAN_NANOS = Duration.ofSeconds(10).toNanos();
    /** {@code fetch.max.wait.ms} of the scanning consumer: it reads below the end, where data always waits. */
    static final int SCAN_WAIT_MS = 10;

    private final Consumer<byte[], byte[]> consumer;
    private final Supplier<Consumer<byte[], byte[]>> scanners;
    private final int sources;
    private final LongSupplier nanos;

    /**
     * @param consumer the view's consumer, which is only seeked
     * @param scanners a new consumer for the tails (same properties, {@link #SCAN_WAIT_MS}), closed after
     */
    MarksLookback(
            Consumer<byte[], byte[]> consumer,
            Supplier<Consumer<byte[], byte[]>> scanners,
            int sources,
            LongSupplier nanos) {
        this.consumer = consumer;
        this.scanners = scanners;
        this.sources = sources;
        this.nanos = nanos;
    }

    /** The scanning consumer's properties: the view's, {@link #SCAN_WAIT_MS}, no offset reset. */
    static Map<String, Object> scannerProperties(Map<String, ?> view, String clientId) {
        Map<String, Object> p = new HashMap<>(view);
        p.put("auto.offset.reset", "none");
        p.put("fetch.max.wait.ms", SCAN_WAIT_MS);
        p.put("client.id", clientId);
        return p;
    }

    /** Seeks each marks partition to where the latest mark of every source partition is, or near its end. */
    void seek(Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
        if (end.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        end.forEach((tp, o) -> starts.put(tp, Math.max(begin.getOrDefault(tp, 0L), o - sources)));
        try (Consumer<byte[], byte[]> scan = scanners.get()) {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                TopicPartition tp = e.getKey();
                scan.assign(List.of(tp));
                starts.put(tp, start(scan, tp, begin.getOrDefault(tp, 0L), e.getValue()));
            }
        } catch (KafkaException e) { // the scanner could not be built or closed: the next checksums will do
            log.info("marks lookback failed ({}); starting {} records before the end", e.toString(), sources);
        }
        starts.forEach(consumer::seek);
    }

    private long start(Consumer<byte[], byte[]> scan, TopicPartition tp, long begin, long end) {
        long deadline = nanos.getAsLong() + SCAN_NANOS;
        long fallback = Math.max(begin, end - sources);
        try {
            for (long back = sources; ; back *= 4) {
                long from = Math.max(begin, end - back);
                Map<Integer, Long> latest = latestPerSource(scan, tp, from, end, deadline);
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
    private Map<Integer, Long> latestPerSource(
            Consumer<byte[], byte[]> scan, TopicPartition tp, long from, long end, long deadline) {
        Map<Integer, Long> latest = new HashMap<>();
        scan.seek(tp, from);
        while (scan.position(tp) < end) {
            if (nanos.getAsLong() > deadline) {
                return null;
            }
            for (ConsumerRecord<byte[], byte[]> r : scan.poll(POLL).records(tp)) {
                if (r.offset() < end && r.key() != null && r.key().length == Integer.BYTES) {
                    latest.put(ByteBuffer.wrap(r.key()).getInt(), r.offset());
                }
            }
        }
        latest.keySet().removeIf(p -> p < 0 || p >= sources);
        return latest;
    }
}
