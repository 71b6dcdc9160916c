package io.statecast.consumer.internal;

import io.statecast.common.EntryHash;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.consumer.Change;
import io.statecast.consumer.ChangeMeta;
import io.statecast.consumer.ResetEvent;
import io.statecast.consumer.internal.ChecksumJudge.Judgement;
import io.statecast.consumer.internal.ChecksumJudge.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the view's table (Kafka Streams' global state maintainer plays this part): applies a poll's
 * state records through the partition writer and hands the changes to indexes and listeners, turns
 * marks into pending marks and waiting checksums, settles each partition after a poll (trim, marks,
 * checksum verdicts), creates, installs and resets partitions. The poll loop calls it under the write
 * lock with what Kafka answered as inputs; it never talks to Kafka itself.
 */
final class ViewMaintainer<V> {
    private static final Logger log = LoggerFactory.getLogger(ViewMaintainer.class);
    /**
     * Presizing stops at this many records a partition (85 MB of entry slots, 256 MB of hash slots):
     * past it, a log dirtier than usual would cost more than the resizes it saves.
     */
    private static final long MAX_PRESIZE = 8_000_000;

    private final ViewParts<V> view;
    private final PartitionWriter<V> writer;
    private final ChecksumJudge judge;
    private final int historyCapacity;
    private final EntryHash digestHash;
    private final ViewSource source;
    /** Null unless a slice view reads several slice partitions (an entity can move between them). */
    private final CrossPartitionMoves<V> moves;

    /**
     * @param judge null when the view does not verify checksums
     * @param digestHash the digest version new partitions compute (until a checksum names another)
     * @param source maps the Kafka partitions the loop speaks of to the view's tables
     */
    ViewMaintainer(
            ViewParts<V> view,
            PartitionWriter<V> writer,
            ChecksumJudge judge,
            int historyCapacity,
            EntryHash digestHash,
            ViewSource source) {
        this.view = view;
        this.writer = writer;
        this.judge = judge;
        this.historyCapacity = historyCapacity;
        this.digestHash = digestHash;
        this.source = source;
        this.moves = source.sliced() && source.partitions().size() > 1 ? new CrossPartitionMoves<>(view.table()) : null;
    }

    /** Empty tables of these Kafka partitions for a full bootstrap; one already there is reset (whether it heals stays). */
    void create(List<Integer> kafkaPartitions) {
        for (int id : source.tables(kafkaPartitions)) {
            Partition p = view.table().partition(id);
            if (p == null) {
                p = new Partition(
                        id,
                        source.describe(id),
                        new PartitionTable(
                                historyCapacity, digestHash, view.table().values()),
                        judge);
                view.table().put(p);
            }
            p.reset();
        }
    }

    /** The partitions of a valid snapshot; indexes and listeners hear of their entries as initial upserts. */
    void install(List<WarmStart.LoadedPartition> loaded) {
        for (WarmStart.LoadedPartition l : loaded) {
            Partition p = new Partition(l.partition(), source.describe(l.partition()), l.table(), judge);
            p.progress.position = l.position();
            p.progress.caughtUpAtMs = l.offsets().caughtUpAtMs();
            p.marks.restore(l.offsets().appliedSrcOffset(), l.offsets().markSrcOffset());
            l.table().entries.recompress(); // loaded before the compressor was trained from the first ones
            view.table().put(p);
        }
        if (writer.rule().decodes()) {
            for (WarmStart.LoadedPartition l : loaded) {
                ChangeMeta meta = new ChangeMeta(l.partition(), -1, -1, -1, true);
                l.table()
                        .entries
                        .forEach((k, v) -> view.events()
                                .changed(new Change<>(key(k), null, view.table().decode(l.table(), k, v), meta)));
            }
        }
    }

    /** Drops what {@link #install} installed, when announcing it failed: a full bootstrap follows. */
    void uninstall(List<WarmStart.LoadedPartition> loaded) {
        loaded.forEach(l -> view.table().partition(l.partition()).reset());
        view.events().clearIndexes();
    }

    /**
     * A (re-)bootstrap starts at {@code nowMs}: the end offsets it must reach, and tables sized for the log's
     * records. A read from the beginning sees every delete written until now, if it reaches the end within
     * the topic's {@code delete.retention.ms}: it counts as caught up now.
     */
    void bootstrapFrom(Map<Integer, Long> begin, Map<Integer, Long> end, long nowMs) {
        end.forEach((kafka, o) -> {
            for (int id : source.tables(kafka)) {
                Partition p = view.table().partition(id);
                p.progress.endOffset = o;
                p.progress.caughtUpAtMs = nowMs;
                if (!source.sliced()) { // a slice partition's records are mostly other values': nothing to size
                    int records = (int) Math.min(MAX_PRESIZE, Math.max(0, o - begin.getOrDefault(kafka, o)));
                    writer.rule().presize(p.table, records);
                    p.progress.presized = true;
                }
            }
        });
    }

    /** A warm start resumes: the end offsets its reading must reach to be ready. */
    void resumeTo(Map<Integer, Long> end) {
        end.forEach(
                (kafka, o) -> source.tables(kafka).forEach(id -> view.table().partition(id).progress.endOffset = o));
    }

    /**
     * Resolves the writer schemas of a poll's state records, outside the write lock: a schema not known
     * yet is looked for in the schemas topic (waiting out its spacing, retrying for a while), which under
     * the lock once stalled every reader for up to 30 s.
     */
    void prepare(ConsumerRecords<byte[], byte[]> records, Predicate<TopicPartition> isState) {
        for (TopicPartition tp : records.partitions()) {
            if (isState.test(tp)) {
                writer.prepare(records.records(tp));
            }
        }
    }

    /** One poll's records of one Kafka partition of the state (or slice) topic, in order. */
    void applyState(int partition, List<ConsumerRecord<byte[], byte[]>> records, boolean initial, long nowMs) {
        if (!source.sliced()) {
            apply(view.table().partition(partition), records, initial, nowMs);
            return;
        }
        // A slice partition: each source partition's records to its own table, in their order.
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byTable = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            int table = source.tableOf(r);
            if (table < 0) {
                view.counters().fetched(1, r.serializedValueSize() + Math.max(0, r.serializedKeySize()));
                skip(r, "a slice record without a valid " + StatecastHeaders.SRC_PARTITION + " header");
            } else {
                byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(r);
            }
        }
        byTable.forEach((table, rs) -> apply(view.table().partition(table), rs, initial, nowMs));
    }

    private void apply(Partition p, List<ConsumerRecord<byte[], byte[]>> records, boolean initial, long nowMs) {
        PartitionWriter.Batch<V> b = writer.apply(p, records, initial, nowMs);
        view.counters().applied(b.applied(), records.size(), b.fetchedBytes());
        b.skipped().forEach(s -> skip(s.record(), s.reason()));
        for (Change<V> c : b.changes()) {
            Change<V> told = moves == null ? c : moves.reconcile(c, p);
            if (told != null) {
                view.events().changed(told);
            }
        }
    }

    /**
     * One poll's records of one marks partition. Each counts once the view reached the state partition's
     * high watermark asked after the poll ({@code watermarks}; null when the brokers did not answer: the
     * marks are only counted as fetched, and the loop reads them again) and never less than the end
     * captured at start. Returns whether the partition must be read again to compute the digest version
     * its checksums use.
     */
    boolean readMarks(
            int partition, List<ConsumerRecord<byte[], byte[]>> records, Map<Integer, Long> watermarks, long nowMs) {
        boolean reread = false;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            view.counters().fetched(1, r.serializedValueSize() + Math.max(0, r.serializedKeySize()));
            Long watermark = watermarks == null ? null : watermarks.get(partition);
            if (r.value() == null || watermark == null || !source.reads(partition)) {
                continue; // without a watermark there is no safe position to compare at: read again
            }
            Mark.Sourced m;
            try {
                m = source.sliced() ? Mark.readSlice(r, source.slice()) : new Mark.Sourced(partition, Mark.read(r));
            } catch (StatecastException e) {
                skip(r, e.getMessage());
                continue;
            }
            Partition p = m.source() < 0 ? null : view.table().partition(source.tableOf(partition, m.source()));
            if (p == null) {
                continue; // a source partition the view does not know (the state topic grew), or an unused mark
            }
            if (judge != null && m.mark().checksum() != null) {
                reread |= !followVersion(p, m.mark().checksum().getDigestVersion(), nowMs);
            }
            PendingMark when = m.mark().pending(Math.max(p.progress.endOffset, watermark));
            p.marks.offer(when);
            if (judge != null && m.mark().checksum() != null) {
                p.checks.offer(m.mark().checksum(), when);
            }
        }
        return reread;
    }

    // A checksum of another digest version this library computes: the partition follows it (summed again,
    // or read again when it holds hashes only). An unknown version stays not comparable.
    private boolean followVersion(Partition p, int version, long nowMs) {
        if (version == p.table.digest.version() || !EntryHash.supports(version)) {
            return true;
        }
        int from = p.table.digest.version();
        boolean inPlace = p.table.switchDigest(EntryHash.forVersion(version), p.marks.applied(), nowMs);
        log.info(
                "{} partition {}: the checksums use digest version {}, the view computed {}; {}",
                view.logId(),
                p.id,
                version,
                from,
                inPlace ? "summed again from its entries" : "reading it again");
        return inPlace;
    }

    /**
     * After a poll: the partition's position and lag, its checksums that became comparable, its trim once
     * a presized bootstrap reached its end, its pending mark. Returns whether the partition must be re-read.
     */
    boolean settle(Partition p, long position, OptionalLong lag) {
        p.progress.position = position;
        if (lag.isPresent()) {
            p.progress.lag = lag.getAsLong();
        }
        boolean heal = false;
        for (Judgement j : p.checks.due(position)) {
            heal |= act(j);
        }
        if (p.progress.presized && p.progress.reachedEnd()) {
            p.table.trim();
            p.progress.presized = false;
        }
        // A partition that stored its values before the compressor was trained (another partition's values
        // trained it) may get no record for long: its values are compressed now, not at its next write.
        p.table.entries.recompress();
        p.marks.settle(position);
        return heal;
    }

    private boolean act(Judgement j) {
        view.counters().judged(j.verdict());
        if (j.verdict() == Verdict.HEAL) {
            log.warn("{} checksum mismatch on {}; re-reading that partition only", view.logId(), j.detail());
            return true;
        }
        if (j.verdict() == Verdict.ALARM) {
            String alarm = "second checksum mismatch after re-reading " + j.detail() + "; not re-reading again";
            view.life().alarm(alarm);
            log.error("{} ALARM: {}", view.logId(), alarm);
        }
        return false;
    }

    /** Drops the Kafka partitions' entries (indexes forget them) to read them again from the beginning. */
    void reset(Set<Integer> which, ResetEvent.Reason reason) {
        view.counters().reset();
        for (int id : source.tables(which)) {
            Partition p = view.table().partition(id);
            if (writer.rule().decodes()) {
                p.table.entries.forEach((k, v) -> view.events().forgotten(key(k), decodeQuietly(p.table, k, v)));
            }
            p.reset();
        }
        if (reason == ResetEvent.Reason.TOPIC_RECREATED) {
            view.events().clearIndexes();
        }
    }

    /** Whether every partition's position reached the end offset captured when its bootstrap started. */
    boolean bootstrapped() {
        return view.table().partitions().stream().allMatch(p -> p.progress.reachedEnd());
    }

    /** The picture a snapshot saves on the poll thread, of the live tables (under the read lock). */
    SnapshotImage image(String topic, Uuid topicId, long nowMs) {
        return new SnapshotImage(
                topic,
                topicId,
                nowMs,
                view.table().partitions().stream().map(SnapshotImage::of).toList());
    }

    /** The picture with its tables frozen, for a save on another thread (taken under the read lock). */
    SnapshotImage frozenImage(String topic, Uuid topicId, long nowMs) {
        return new SnapshotImage(
                topic, topicId, nowMs, SnapshotImage.frozen(view.table().partitions()));
    }

    private V decodeQuietly(PartitionTable t, byte[] key, byte[] stored) {
        try {
            return view.table().decode(t, key, stored);
        } catch (StatecastException e) {
            return null;
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> r, String why) {
        long n = view.counters().skipped();
        if (n <= 10 || Long.bitCount(n) == 1) { // the first ten, then at powers of two: never a flood
            log.warn(
                    "{} skipped record {}-{}@{} ({} skipped so far): {}",
                    view.logId(),
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    n,
                    why);
        }
    }

    private static String key(byte[] k) {
        return new String(k, StandardCharsets.UTF_8);
    }
}
