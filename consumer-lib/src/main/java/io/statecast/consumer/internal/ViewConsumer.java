package io.statecast.consumer.internal;

import io.statecast.common.kafka.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The view's Kafka consumer in the view's terms: state partitions by number, each read with the same
 * partition of the marks topic beside it (checksums and progress marks are keyed and partitioned by
 * state partition). {@code assign()} only, no group; the consumer is built {@code read_committed}
 * with {@code auto.offset.reset=none} by the caller, who also closes it.
 */
final class ViewConsumer {
    private static final Duration METADATA = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long a re-read waits for its offsets before the loop goes on (and asks again on its next turn). */
    static final Duration ASK = Duration.ofSeconds(2);
    /**
     * How many offsets back from a marks partition's end a view starts: the latest mark lies among them
     * unless eight or more transactions in a row ended there (a marker each) with no mark visible.
     */
    static final int MARKS_BACK = 16;

    private final Consumer<byte[], byte[]> consumer;
    private final ViewSource source;
    private final LongSupplier nanos;
    private final Supplier<Consumer<byte[], byte[]>> scanners;

    /**
     * @param nanos monotonic time, for the deadline of a slice's {@link MarksLookback}
     * @param scanners a new consumer for a slice's {@link MarksLookback} (the caller's properties, and
     *     {@code fetch.max.wait.ms} {@link MarksLookback#SCAN_WAIT_MS}); the lookback closes it
     */
    ViewConsumer(
            Consumer<byte[], byte[]> consumer,
            ViewSource source,
            LongSupplier nanos,
            Supplier<Consumer<byte[], byte[]>> scanners) {
        this.consumer = consumer;
        this.source = source;
        this.nanos = nanos;
        this.scanners = scanners;
    }

    /** The state topic's partitions: how many it has, and which of them this view reads, in order. */
    record Layout(int topicPartitions, List<Integer> read) {}

    Layout layout() {
        List<TopicPartition> all = TopicReader.partitions(consumer, source.stateTopic(), METADATA);
        List<Integer> read = all.stream()
                .map(TopicPartition::partition)
                .filter(source::reads)
                .sorted()
                .toList();
        return new Layout(all.size(), read);
    }

    /** Reads these state partitions and their marks partitions (positions are set by a seek next). */
    void assign(Collection<Integer> parts) {
        List<TopicPartition> all = new ArrayList<>(state(parts));
        all.addAll(marks(parts));
        consumer.assign(all);
    }

    void seekToBeginning(Collection<Integer> parts) {
        consumer.seekToBeginning(state(parts));
    }

    void seek(Map<Integer, Long> positions) {
        positions.forEach((p, o) -> consumer.seek(state(p), o));
    }

    /**
     * Only the latest marks of each partition matter for read-your-writes: start near the end. A slice's
     * marks partition holds the marks of every source partition: {@link MarksLookback} finds the latest
     * of each.
     */
    void seekMarksNearEnd(Collection<Integer> parts) {
        seekMarksNearEnd(parts, METADATA);
    }

    /**
     * Seeks each marks partition to {@link #marksStart} (a slice's: where its lookback finds every source's latest mark).
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the brokers do not answer in time
     */
    void seekMarksNearEnd(Collection<Integer> parts, Duration timeout) {
        if (source.marksTopic() == null) {
            return;
        }
        List<TopicPartition> tps = marks(parts);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
        if (source.slice() == null) {
            end.forEach((tp, o) -> consumer.seek(tp, marksStart(begin.getOrDefault(tp, 0L), o)));
        } else {
            new MarksLookback(consumer, scanners, source.slice().sources(), nanos).seek(begin, end);
        }
    }

    /** Reads the marks partition of state partition {@code p} again from {@code offset}. */
    void seekMarks(int p, long offset) {
        consumer.seek(new TopicPartition(source.marksTopic(), p), offset);
    }

    /** The source partitions whose marks this poll returned (marks of partitions the view reads). */
    Set<Integer> marksRead(ConsumerRecords<byte[], byte[]> records) {
        Set<Integer> marked = new HashSet<>();
        for (TopicPartition tp : records.partitions()) {
            if (!isState(tp) && source.reads(tp.partition())) {
                marked.add(tp.partition());
            }
        }
        return marked;
    }

    // No stable end to judge a poll's marks at (the broker did not answer in 2 s): they are read again next
    // time rather than dropped. A quiet source partition may write no other mark for a checksum interval,
    // and a slice view's receipts of other values' writes complete only through marks.
    void rereadMarks(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            if (!isState(tp)) {
                seekMarks(tp.partition(), records.records(tp).get(0).offset());
            }
        }
    }

    /**
     * Where a view starts reading a marks partition: {@link #MARKS_BACK} offsets before its end, never before
     * its beginning. Every transaction ends with a commit (or abort) marker that takes an offset, so
     * {@code end - 1} is a marker and never the latest mark; and when retention emptied the partition
     * ({@code begin == end}) anything before {@code begin} is out of range.
     */
    static long marksStart(long begin, long end) {
        return Math.max(begin, end - MARKS_BACK);
    }

    /** The state partitions' end offsets (read_committed: the last stable offsets). */
    Map<Integer, Long> endOffsets(Collection<Integer> parts) {
        return endOffsets(parts, METADATA);
    }

    /** @throws org.apache.kafka.common.errors.TimeoutException when the brokers do not answer in time */
    Map<Integer, Long> endOffsets(Collection<Integer> parts, Duration timeout) {
        return byPartition(consumer.endOffsets(state(parts), timeout));
    }

    /** @throws org.apache.kafka.common.errors.TimeoutException when the brokers do not answer in time */
    Map<Integer, Long> beginningOffsets(Collection<Integer> parts, Duration timeout) {
        return byPartition(consumer.beginningOffsets(state(parts), timeout));
    }

    /** Stops fetching these state partitions (their re-read waits for its offsets). */
    void pause(Collection<Integer> parts) {
        consumer.pause(state(parts));
    }

    void resume(Collection<Integer> parts) {
        consumer.resume(state(parts));
    }

    /** The end offsets asked with a 1.5 s timeout (the view's health check); null when the brokers did not answer. */
    Map<Integer, Long> endsIfAnswered(Collection<Integer> parts) {
        try {
            return byPartition(consumer.endOffsets(state(parts), Duration.ofMillis(1500)));
        } catch (TimeoutException e) {
            return null;
        }
    }

    /** @throws OffsetOutOfRangeException for state partitions whose position the log no longer holds */
    ConsumerRecords<byte[], byte[]> poll() {
        return consumer.poll(POLL);
    }

    /** Whether a polled record's partition is of the state topic (else of the marks topic). */
    boolean isState(TopicPartition tp) {
        return tp.topic().equals(source.stateTopic());
    }

    /** The marks partitions an out-of-range error names (by their state partition's number). */
    Set<Integer> marksPartitionsOf(OffsetOutOfRangeException e) {
        return e.partitions().stream()
                .filter(tp -> !isState(tp))
                .map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }

    /** The state partitions an out-of-range error names. */
    Set<Integer> statePartitionsOf(OffsetOutOfRangeException e) {
        return e.partitions().stream()
                .filter(this::isState)
                .map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }

    long position(int p) {
        return consumer.position(state(p), Duration.ofSeconds(5));
    }

    OptionalLong lag(int p) {
        return consumer.currentLag(state(p));
    }

    /** Interrupts a blocking call from another thread (closing). */
    void wakeup() {
        consumer.wakeup();
    }

    private TopicPartition state(int p) {
        return new TopicPartition(source.stateTopic(), p);
    }

    private List<TopicPartition> state(Collection<Integer> parts) {
        return parts.stream().map(this::state).toList();
    }

    private List<TopicPartition> marks(Collection<Integer> parts) {
        return source.marksTopic() == null
                ? List.of()
                : parts.stream()
                        .map(p -> new TopicPartition(source.marksTopic(), p))
                        .toList();
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }
}
