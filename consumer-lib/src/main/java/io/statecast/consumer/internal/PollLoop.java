package io.statecast.consumer.internal;

import io.statecast.consumer.ResetEvent;
import io.statecast.consumer.ViewStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view's poll loop, on the view's own thread: bootstraps every partition to the end offsets captured
 * at start (or resumes from a snapshot), then tails — poll, hand the records to the maintainer under the
 * write lock, settle the partitions, heal what a checksum condemned, report ready, complete waiters —
 * and between polls checks the brokers, the topic id and the snapshot schedule. The consumer, the
 * admin facts and the clocks are handed to it; it creates none of them.
 */
final class PollLoop<V> {
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    private final ViewConsumer consumer;
    private final TopicFacts facts;
    private final Clock clock;
    private final LongSupplier nanos;
    private final ViewMaintainer<V> maintainer;
    private final ViewParts<V> view;
    private final LoopSettings settings;
    private final TopicWatch watch;
    private final Rebuilds rebuilds;
    private Every snapshots;
    private final SnapshotSaver saver; // null: no snapshots
    private long bootstrapStartNanos;
    /** Partitions reset for a (re-)read whose start offsets the brokers have not given yet; paused meanwhile. */
    private final Set<Integer> reReads = new TreeSet<>();

    private boolean reReadsWaitLogged;

    /**
     * @param clock wall-clock time: staleness, snapshot ages, the digest history's compaction check
     * @param nanos monotonic time: intervals, the grace of marks, the bootstrap duration
     */
    PollLoop(
            ViewConsumer consumer,
            TopicFacts facts,
            Clock clock,
            LongSupplier nanos,
            ViewMaintainer<V> maintainer,
            ViewParts<V> view,
            LoopSettings settings) {
        this.consumer = consumer;
        this.facts = facts;
        this.clock = clock;
        this.nanos = nanos;
        this.maintainer = maintainer;
        this.view = view;
        this.settings = settings;
        this.watch = new TopicWatch(consumer, facts, view, clock, settings, nanos.getAsLong());
        this.rebuilds = new Rebuilds(settings.source(), view.table());
        this.saver = settings.warmStart() == null
                ? null
                : new SnapshotSaver(
                        settings.warmStart(),
                        settings.source().threadName("snapshot"),
                        view.logId(),
                        view.counters(),
                        nanos);
    }

    /**
     * Runs until {@code running} turns false or the consumer is woken up (closing); saves a snapshot
     * then. Any other failure propagates, with nothing saved.
     */
    void run(Uuid id, BooleanSupplier running) {
        try {
            begin(id);
            try {
                while (running.getAsBoolean()) {
                    pollOnce();
                    periodicChecks();
                }
            } catch (WakeupException e) {
                // close() woke the consumer up
            }
            saveOnClose();
        } finally {
            if (saver != null) {
                saver.awaitWriting(); // a failed view's compressor is closed next: no save may still read it
            }
        }
    }

    private void begin(Uuid id) {
        ViewConsumer.Layout layout = consumer.layout();
        ViewSource source = settings.source();
        watch.start(
                id,
                source,
                source.slice() == null
                        ? layout.topicPartitions()
                        : source.slice().sources());
        view.table().layout(source, layout.topicPartitions());
        if (!warmStart(layout.read())) {
            bootstrap(layout.read());
        }
        snapshots = new Every(
                settings.snapshotInterval(),
                nanos.getAsLong() + settings.snapshotInterval().toNanos());
    }

    private boolean warmStart(List<Integer> ids) {
        WarmStart ws = settings.warmStart();
        if (ws == null) {
            return false;
        }
        WarmStart.Expect expect = new WarmStart.Expect(
                watch.topicId(),
                settings.source().tables(ids),
                clock.millis(),
                settings.historyCapacity(),
                CaughtUpTimes.retentionOf(facts),
                view.table().values());
        WarmStart.Result r = ws.load(expect);
        view.life().startMode(r.startMode());
        if (!r.loaded() || !install(r.partitions())) {
            return false;
        }
        bootstrapStartNanos = nanos.getAsLong();
        consumer.assign(ids);
        Map<Integer, Long> end = consumer.endOffsets(ids);
        write(() -> maintainer.resumeTo(end));
        Map<Integer, Long> positions = new HashMap<>();
        r.partitions().forEach(p -> positions.put(settings.source().kafkaOf(p.partition()), p.position()));
        consumer.seek(positions);
        consumer.seekMarksNearEnd(ids);
        return true;
    }

    // Indexes and listeners hear of the entries only once the whole file proved valid; if that fails
    // (an entry the codec cannot decode), nothing of the snapshot stays.
    private boolean install(List<WarmStart.LoadedPartition> loaded) {
        Lock w = view.table().writeLock();
        w.lock();
        try {
            maintainer.install(loaded);
            return true;
        } catch (RuntimeException e) {
            maintainer.uninstall(loaded);
            String reason = "full bootstrap: snapshot rejected: " + e.getMessage();
            view.life().startMode(reason);
            log.warn("{} {}", view.logId(), reason);
            return false;
        } finally {
            w.unlock();
        }
    }

    private void bootstrap(List<Integer> ids) {
        bootstrapStartNanos = nanos.getAsLong();
        write(() -> maintainer.create(ids));
        consumer.assign(ids);
        seekToBeginning(ids);
        log.info(
                "{} bootstrapping {} partition(s) of {}",
                view.logId(),
                ids.size(),
                settings.source().stateTopic());
    }

    private void seekToBeginning(Collection<Integer> ids) {
        consumer.seekToBeginning(ids);
        consumer.pause(ids);
        reReads.addAll(ids);
        startReReads();
    }

    // A (re-)read starts from offsets only the brokers know. When they do not answer in time its partitions
    // stay paused (the others keep serving; the broker check turns the view STALE) and the next turn of
    // the loop asks again: a broker timeout here once failed the view for good.
    private void startReReads() {
        if (reReads.isEmpty()) {
            return;
        }
        List<Integer> ids = List.copyOf(reReads);
        Map<Integer, Long> end;
        Map<Integer, Long> begin;
        try {
            end = consumer.endOffsets(ids, ViewConsumer.ASK);
            begin = consumer.beginningOffsets(ids, ViewConsumer.ASK);
            consumer.seekMarksNearEnd(ids, ViewConsumer.ASK);
        } catch (TimeoutException e) {
            if (!reReadsWaitLogged) {
                reReadsWaitLogged = true;
                log.warn("{} re-reading {} waits for the brokers: {}", view.logId(), ids, e.getMessage());
            }
            return;
        }
        long nowMs = clock.millis();
        write(() -> maintainer.bootstrapFrom(begin, end, nowMs));
        reReads.clear();
        reReadsWaitLogged = false;
        consumer.resume(ids);
    }

    private void pollOnce() {
        startReReads();
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll();
        } catch (OffsetOutOfRangeException e) {
            rebootstrap(consumer.statePartitionsOf(e), ResetEvent.Reason.OFFSET_OUT_OF_RANGE);
            reseekMarks(consumer.marksPartitionsOf(e));
            return;
        }
        watch.checkMarks(records, consumer::isState);
        maintainer.prepare(records, consumer::isState); // before the write lock: lookups may wait
        Map<Integer, Long> watermarks = watermarksForMarks(records);
        Set<Integer> heal = new HashSet<>();
        Set<Integer> rehash = new HashSet<>();
        write(() -> {
            apply(records, watermarks, rehash);
            settle(heal);
        });
        if (watermarks == null) { // read them again rather than drop them (see ViewConsumer.rereadMarks)
            consumer.rereadMarks(records);
        }
        rebootstrap(heal, ResetEvent.Reason.CHECKSUM_MISMATCH);
        rehash.removeAll(heal);
        rebootstrap(rehash, ResetEvent.Reason.DIGEST_VERSION);
        if (view.life().bootstrapping() && reReads.isEmpty() && maintainer.bootstrapped()) {
            becomeReady();
        }
        wholeAgain();
        view.awaiters().check(view.table()::seenSrcOffset);
    }

    // Partitions read again to their end serve reads again; waiting readers and listeners are told.
    private void wholeAgain() {
        if (!rebuilds.any()) {
            return;
        }
        Map<ResetEvent.Reason, Set<Integer>> done = new java.util.EnumMap<>(ResetEvent.Reason.class);
        write(() -> done.putAll(rebuilds.finish(reReads)));
        if (!done.isEmpty()) {
            view.table().signalWhole(); // outside the write lock (see ViewTable.signalWhole)
            done.forEach((reason, parts) -> view.events().whole(new ResetEvent(Set.copyOf(parts), reason)));
            log.info("{} partition(s) {} whole again", view.logId(), done.values());
        }
    }

    // Partition by partition, so that each partition's records stay in order and apply alone.
    // rehash: the partitions to read again in the digest version their checksums use.
    private void apply(ConsumerRecords<byte[], byte[]> records, Map<Integer, Long> watermarks, Set<Integer> rehash) {
        boolean initial = view.life().bootstrapping();
        long nowMs = clock.millis();
        for (TopicPartition tp : records.partitions()) {
            if (consumer.isState(tp)) {
                maintainer.applyState(tp.partition(), records.records(tp), initial, nowMs);
            } else if (maintainer.readMarks(tp.partition(), records.records(tp), watermarks, nowMs)) {
                rehash.add(tp.partition());
            }
        }
    }

    // A partition waiting for its re-read's offsets is left as it is; so is one whose position the
    // brokers cannot say now (it is asked again after the next poll).
    private void settle(Set<Integer> heal) {
        for (Partition p : view.table().partitions()) {
            int id = settings.source().kafkaOf(p.id); // the Kafka partition the table reads
            if (reReads.contains(id)) {
                continue;
            }
            long position;
            try {
                position = consumer.position(id);
            } catch (TimeoutException e) {
                continue;
            }
            if (maintainer.settle(p, position, consumer.lag(id))) {
                heal.add(id);
            }
        }
    }

    // A mark's state records were written before its transaction committed: the state partitions' high
    // watermarks, asked after the mark was read, lie past them (see PendingMark). Null when the brokers did
    // not answer in time.
    private Map<Integer, Long> watermarksForMarks(ConsumerRecords<byte[], byte[]> records) {
        Set<Integer> marked = consumer.marksRead(records);
        if (marked.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Long> ends = facts.highWatermarks(marked, ViewConsumer.ASK);
        if (ends == null) {
            log.debug("{} no high watermarks for {} within {}", view.logId(), marked, ViewConsumer.ASK);
        }
        return ends;
    }

    // Retention removed what a marks partition's position pointed at: only the latest marks matter, so it
    // is read again from near its end (no reset). Unanswered, the next poll raises it again.
    private void reseekMarks(Set<Integer> which) {
        if (which.isEmpty()) {
            return;
        }
        try {
            consumer.seekMarksNearEnd(which, ViewConsumer.ASK);
            log.info("{} marks partition(s) {} out of range; reading them from near their end", view.logId(), which);
        } catch (TimeoutException e) {
            log.debug("{} re-seeking marks {} waits for the brokers", view.logId(), which);
        }
    }

    /** Drops the partitions' entries and reads them again from the beginning; listeners get a reset. */
    private void rebootstrap(Set<Integer> which, ResetEvent.Reason reason) {
        if (which.isEmpty()) {
            return;
        }
        write(() -> {
            maintainer.reset(which, reason);
            rebuilds.started(which, reason);
        });
        seekToBeginning(which);
        view.events().reset(new ResetEvent(Set.copyOf(which), reason));
        log.warn("{} re-bootstrapping partition(s) {}: {}", view.logId(), which, reason);
    }

    private void becomeReady() {
        Duration took = Duration.ofNanos(nanos.getAsLong() - bootstrapStartNanos);
        view.life().bootstrapped(took);
        ViewStatus s = view.life().status(view.table().progress());
        log.info("{} ready: {} entries in {} ms", view.logId(), view.table().size(), took.toMillis());
        view.events().ready(s);
        view.life().completeReady(s);
    }

    private void periodicChecks() {
        long now = nanos.getAsLong();
        if (saver != null && view.life().state() == ViewStatus.State.READY && snapshots.due(now)) {
            save(false);
        }
        TopicWatch.Found found = watch.check(now, ids(), reReads);
        rebootstrap(found.partitions(), found.reason());
    }

    // The Kafka partitions the view reads (a slice view has several tables per partition).
    private Set<Integer> ids() {
        Set<Integer> ids = new HashSet<>();
        view.table().partitions().forEach(p -> ids.add(p.id));
        return settings.source().kafkaOf(ids);
    }

    private void saveOnClose() {
        if (saver == null) {
            return;
        }
        ViewStatus.State s = view.life().state();
        if (!view.life().failed() && (s == ViewStatus.State.READY || s == ViewStatus.State.STALE)) {
            save(true);
        }
    }

    // The picture under the read lock: the test seam writes from other threads, and it must hold still.
    // Frozen, it is written on another thread; at close, live, here (nothing is left to apply then).
    private void save(boolean closing) {
        if (!closing && saver.busy()) {
            return; // the last one is still being written: this one is skipped
        }
        long t0 = nanos.getAsLong();
        String topic = settings.source().stateTopic();
        Lock r = view.table().readLock();
        r.lock();
        try {
            if (closing) {
                saver.saveNow(maintainer.image(topic, watch.topicId(), clock.millis()), t0);
            } else {
                saver.saveLater(maintainer.frozenImage(topic, watch.topicId(), clock.millis()), t0);
            }
        } finally {
            r.unlock();
        }
    }

    private void write(Runnable change) {
        Lock w = view.table().writeLock();
        w.lock();
        try {
            change.run();
        } finally {
            w.unlock();
        }
    }
}
