package io.statecast.consumer.internal;

import io.statecast.common.EntryHash;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.common.ViewFailedException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.consumer.Change;
import io.statecast.consumer.ChangeMeta;
import io.statecast.consumer.PartitionProgress;
import io.statecast.consumer.ResetEvent;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.ViewStatus;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Progress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view's engine: one thread owns the consumer, bootstraps every partition to the end offsets
 * captured at start, then tails; it applies records under the write lock, while reads from any thread
 * take the read lock. Each step of the loop is a small method below.
 */
public final class ViewEngine<V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViewEngine.class);
    /**
     * Presizing stops at this many records a partition (85 MB of entry slots, 256 MB of hash slots):
     * past it, a log dirtier than usual would cost more than the resizes it saves.
     */
    private static final long MAX_PRESIZE = 8_000_000;

    private final ViewSettings<V> settings;
    private final ValueCodec<V> codec;
    private final String stateTopic;
    private final String checksumsTopic;
    private final String logId;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Integer, PartitionState> partitions = new TreeMap<>();
    private final Indexes<V> indexes;
    private final List<ListenerRunner<V>> listeners = new ArrayList<>();
    private final Awaiters awaiters = new Awaiters();
    private final CompletableFuture<ViewStatus> ready = new CompletableFuture<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong fetchedBytes = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final Thread thread;
    private final boolean verifying;
    private final Verifier verifier;
    private final List<String> alarms = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Duration splayDrawn = Duration.ZERO;
    private final Set<Integer> healQueue = new java.util.HashSet<>();
    private volatile String startMode = "full bootstrap";
    private long nextSnapshot;
    private volatile ViewStatus.State state = ViewStatus.State.CREATED;
    private volatile Instant staleSince;
    private volatile Throwable cause;
    private volatile boolean running = true;
    private volatile Duration bootstrapDuration;
    private volatile int topicPartitionCount;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Admin admin;
    private Uuid topicId;
    private long bootstrapStartNanos;
    private long nextHealthCheck;
    private long nextTopicCheck;

    public ViewEngine(ViewSettings<V> settings, AvroCodec<V> payloads) {
        this.settings = settings;
        this.codec = new ValueCodec<>(payloads, settings.isNamespace());
        Namespace ns = settings.isNamespace() ? Namespace.of(settings.config().namespace()) : null;
        this.stateTopic = ns == null ? settings.config().topic() : ns.state();
        this.checksumsTopic = ns == null ? null : ns.checksums();
        this.logId = "[view ns=" + (ns == null ? settings.config().topic() : ns.name()) + "]";
        this.indexes = new Indexes<>(settings.rules().indexes());
        String base = "statecast-view-" + (ns == null ? settings.config().topic() : ns.name());
        settings.listeners()
                .forEach(l -> listeners.add(
                        new ListenerRunner<>(base + "-listener-" + l.name(), l.listener(), l.capacity(), l.policy())));
        this.verifying = settings.verifying();
        this.verifier = new Verifier(this);
        this.thread = new Thread(this::run, base + "-poll");
        thread.setDaemon(true);
    }

    public void start() {
        if (state == ViewStatus.State.CREATED) {
            state = ViewStatus.State.BOOTSTRAPPING;
            thread.start();
        }
    }

    // ---- the loop ----

    private void run() {
        try {
            splay();
            consumer =
                    KafkaClients.consumer(settings.config().consumerProperties(), Map.of("auto.offset.reset", "none"));
            admin = KafkaClients.admin(settings.config().consumerProperties());
            topicId = currentTopicId();
            verifier.minCompactionLagMs = verifying ? topicConfigLong("min.compaction.lag.ms", 0) : 0;
            if (!new WarmStart<>(this).tryLoad()) {
                bootstrapAll();
            }
            nextSnapshot = System.nanoTime() + snapshotIntervalNanos();
            while (running) {
                pollOnce();
                periodicChecks();
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            fail(t);
        } finally {
            snapshotOnClose();
            closeClients();
        }
    }

    // Herd control: a fleet started at once spreads its bootstraps over [0, splay).
    private void splay() throws InterruptedException {
        splayDrawn = settings.drawSplay();
        Thread.sleep(splayDrawn.toMillis());
    }

    long topicConfigLong(String name, long missing) {
        org.apache.kafka.common.config.ConfigResource res = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, stateTopic);
        try {
            var entry = admin.describeConfigs(List.of(res))
                    .all()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS)
                    .get(res)
                    .get(name);
            return entry == null || entry.value() == null ? missing : Long.parseLong(entry.value());
        } catch (Exception e) {
            throw new StatecastException("Cannot read " + name + " of " + stateTopic + ": " + e.getMessage(), e);
        }
    }

    /** Queues a partition for re-reading after the current batch (called from the verifier). */
    void rebootstrapLater(int partition) {
        healQueue.add(partition);
    }

    /** The kinds of divergence {@link #divergeForTest} injects. */
    public enum Divergence {
        DROP_ENTRY,
        ALTER_VALUE,
        ADD_FOREIGN_ENTRY,
        DROP_FILTERED_ENTRY
    }

    /**
     * Test-only: makes the view differ from the table the way a bug in applying records would (entries
     * and digest agree with each other, not with the table), to prove that verification catches it.
     */
    public void divergeForTest(Divergence kind, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        lock.writeLock().lock();
        try {
            PartitionState ps = kind == Divergence.ADD_FOREIGN_ENTRY || kind == Divergence.DROP_FILTERED_ENTRY
                    ? partitions.get(Utils.toPositive(Utils.murmur2(k)) % topicPartitionCount)
                    : holder(k);
            if (ps == null) {
                throw new StatecastException("no partition of this view holds key " + key);
            }
            diverge(ps, kind, k);
            ps.history.record(
                    ps.appliedSrcOffset,
                    settings.clock().millis(),
                    settings.clock().millis(),
                    ps.digest);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void diverge(PartitionState ps, Divergence kind, byte[] k) {
        switch (kind) {
            case DROP_ENTRY:
                ps.digest.remove(k, ps.entries.remove(k));
                break;
            case ALTER_VALUE:
                byte[] old = ps.entries.get(k);
                io.statecast.schemas.StateRecord r = Envelopes.stateRecord().decode(old);
                r.setUpdatedAt(r.getUpdatedAt().plusMillis(1));
                byte[] altered = Envelopes.stateRecord().encode(r);
                ps.entries.put(k, altered);
                ps.digest.replace(k, old, altered);
                break;
            case ADD_FOREIGN_ENTRY:
                byte[][] any = new byte[1][];
                partitions.values().forEach(p -> p.entries.forEach((kk, v) -> any[0] = any[0] == null ? v : any[0]));
                ps.entries.put(k, any[0]);
                ps.digest.add(k, any[0]);
                break;
            default:
                long[] h = ps.foreignHashes.remove(k);
                if (h == null) {
                    throw new StatecastException(
                            "key " + new String(k, StandardCharsets.UTF_8) + " is not a filtered-out entry");
                }
                ps.digest.removeHash(h[0], h[1]);
        }
    }

    void raiseAlarm(String alarm) {
        alarms.add(alarm);
        log.error("{} ALARM: {}", logId, alarm);
    }

    String logId() {
        return logId;
    }

    // ---- for WarmStart (same thread as the loop) ----

    ViewSettings<V> settings() {
        return settings;
    }

    String stateTopic() {
        return stateTopic;
    }

    Uuid topicId() {
        return topicId;
    }

    Map<Integer, PartitionState> partitionStates() {
        return partitions;
    }

    ReentrantReadWriteLock lock() {
        return lock;
    }

    void startMode(String mode) {
        startMode = mode;
    }

    /** Assigns the loaded partitions and seeks them to their saved positions; reads then continue as a bootstrap. */
    void resumeFrom(Map<Integer, Long> positions) {
        bootstrapStartNanos = System.nanoTime();
        List<TopicPartition> stateParts = positions.keySet().stream()
                .map(p -> new TopicPartition(stateTopic, p))
                .toList();
        List<TopicPartition> all = new ArrayList<>(stateParts);
        if (checksumsTopic != null) {
            stateParts.forEach(tp -> all.add(new TopicPartition(checksumsTopic, tp.partition())));
        }
        consumer.assign(all);
        consumer.endOffsets(stateParts, Duration.ofSeconds(60))
                .forEach((tp, o) -> partitions.get(tp.partition()).endOffset = o);
        positions.forEach((p, o) -> consumer.seek(new TopicPartition(stateTopic, p), o));
        if (checksumsTopic != null) {
            List<TopicPartition> marks = stateParts.stream()
                    .map(tp -> new TopicPartition(checksumsTopic, tp.partition()))
                    .toList();
            consumer.endOffsets(marks, Duration.ofSeconds(60))
                    .forEach((tp, o) -> consumer.seek(tp, Math.max(0, o - 1)));
        }
    }

    /** Partitions this view reads, from the topic's metadata. */
    List<Integer> assignedPartitions() {
        List<TopicPartition> everyPartition = TopicReader.partitions(consumer, stateTopic, Duration.ofSeconds(60));
        topicPartitionCount = everyPartition.size();
        return everyPartition.stream()
                .map(TopicPartition::partition)
                .filter(p -> settings.config().partitions().isEmpty()
                        || settings.config().partitions().contains(p))
                .sorted()
                .toList();
    }

    /** Indexes and listeners learn a loaded entry as an initial upsert. */
    void loaded(byte[] key, byte[] stored, boolean raw, int partition) {
        if (settings.needsDecode()) {
            changed(key, null, codec.decodeStored(stored, raw), new ChangeMeta(partition, -1, -1, -1, true));
        }
    }

    private void bootstrapAll() {
        bootstrapStartNanos = System.nanoTime();
        List<TopicPartition> everyPartition = TopicReader.partitions(consumer, stateTopic, Duration.ofSeconds(60));
        topicPartitionCount = everyPartition.size();
        List<TopicPartition> stateParts = everyPartition.stream()
                .filter(tp -> settings.config().partitions().isEmpty()
                        || settings.config().partitions().contains(tp.partition()))
                .collect(Collectors.toList());
        List<TopicPartition> all = new ArrayList<>(stateParts);
        if (checksumsTopic != null) {
            stateParts.forEach(tp -> all.add(new TopicPartition(checksumsTopic, tp.partition())));
        }
        lock.writeLock().lock();
        try {
            stateParts.forEach(tp -> partitions
                    .computeIfAbsent(
                            tp.partition(),
                            p -> new PartitionState(p, settings.config().historyCapacity()))
                    .reset());
        } finally {
            lock.writeLock().unlock();
        }
        consumer.assign(all);
        seekForBootstrap(stateParts);
        log.info("{} bootstrapping {} partition(s) of {}", logId, stateParts.size(), stateTopic);
    }

    private void seekForBootstrap(Collection<TopicPartition> stateParts) {
        consumer.seekToBeginning(stateParts);
        Map<TopicPartition, Long> end = consumer.endOffsets(stateParts, Duration.ofSeconds(60));
        end.forEach((tp, o) -> partitions.get(tp.partition()).endOffset = o);
        // A compacted log holds about one record per key: sizing the table for them up front saves every
        // resize (3 moves per entry); a dirtier log is trimmed when the bootstrap ends. A filtering view
        // (a node agent) keeps few entries and a hash of nearly every other key: it sizes those instead.
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(stateParts, Duration.ofSeconds(60));
        lock.writeLock().lock();
        try {
            end.forEach((tp, o) -> {
                PartitionState ps = partitions.get(tp.partition());
                int records = (int) Math.min(MAX_PRESIZE, Math.max(0, o - begin.getOrDefault(tp, o)));
                if (settings.rules().filter() == null) {
                    ps.entries.ensureCapacity(records);
                } else {
                    ps.foreignHashes.ensureCapacity(records);
                }
                ps.presized = true;
            });
        } finally {
            lock.writeLock().unlock();
        }
        if (checksumsTopic != null) {
            // Only the latest mark per partition matters for read-your-writes: start just before the end.
            List<TopicPartition> marks = stateParts.stream()
                    .map(tp -> new TopicPartition(checksumsTopic, tp.partition()))
                    .toList();
            consumer.endOffsets(marks, Duration.ofSeconds(60))
                    .forEach((tp, o) -> consumer.seek(tp, Math.max(0, o - 1)));
        }
    }

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(Duration.ofMillis(100));
        } catch (OffsetOutOfRangeException e) {
            rebootstrap(
                    e.partitions().stream()
                            .filter(tp -> tp.topic().equals(stateTopic))
                            .map(TopicPartition::partition)
                            .collect(Collectors.toSet()),
                    ResetEvent.Reason.OFFSET_OUT_OF_RANGE);
            return;
        }
        Map<TopicPartition, Long> stableEnds = stableEndsForMarks(records);
        lock.writeLock().lock();
        try {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                fetchedBytes.addAndGet(r.serializedValueSize() + Math.max(0, r.serializedKeySize()));
                if (r.topic().equals(stateTopic)) {
                    applyState(r);
                } else {
                    applyMark(r, stableEnds);
                }
            }
            updatePositions();
        } finally {
            lock.writeLock().unlock();
        }
        if (!healQueue.isEmpty()) {
            Set<Integer> heal = Set.copyOf(healQueue);
            healQueue.clear();
            rebootstrap(heal, ResetEvent.Reason.CHECKSUM_MISMATCH);
        }
        if (state == ViewStatus.State.BOOTSTRAPPING && bootstrapped()) {
            becomeReady();
        }
        awaiters.check(p -> {
            PartitionState ps = partitions.get(p);
            return ps == null ? Long.MIN_VALUE : ps.seenSrcOffset();
        });
    }

    private void updatePositions() {
        for (PartitionState ps : partitions.values()) {
            TopicPartition tp = new TopicPartition(stateTopic, ps.partition);
            ps.position = consumer.position(tp, Duration.ofSeconds(5));
            consumer.currentLag(tp).ifPresent(l -> ps.lag = l);
            verifier.checkDue(ps);
            if (ps.presized && ps.position >= ps.endOffset) {
                ps.entries.trim();
                ps.foreignHashes.trim();
                ps.presized = false;
            }
            if (ps.pendingMarkSrcOffset >= 0
                    && ps.position >= ps.pendingMarkPosition
                    && ps.reached(ps.pendingMarkStateSrc, ps.pendingMarkDeadlineNanos)) {
                ps.markSrcOffset = Math.max(ps.markSrcOffset, ps.pendingMarkSrcOffset);
                ps.pendingMarkSrcOffset = -1;
                ps.pendingMarkPosition = Long.MAX_VALUE;
            }
        }
    }

    // Ready only when every partition's position reached the end offset captured at start — never
    // "last record + 1": transaction markers occupy offsets.
    private boolean bootstrapped() {
        return partitions.values().stream().allMatch(ps -> ps.position >= ps.endOffset);
    }

    private void becomeReady() {
        bootstrapDuration = Duration.ofNanos(System.nanoTime() - bootstrapStartNanos);
        state = ViewStatus.State.READY;
        ViewStatus s = status();
        log.info("{} ready: {} entries in {} ms", logId, size(), bootstrapDuration.toMillis());
        listeners.forEach(l -> l.offer(s));
        ready.complete(s);
    }

    // ---- applying records ----

    private void applyState(ConsumerRecord<byte[], byte[]> r) {
        PartitionState ps = partitions.get(r.partition());
        ps.records++;
        ps.bytes += Math.max(0, r.serializedValueSize());
        if (r.key() == null) {
            skip(r, "null key");
            return;
        }
        long version =
                settings.isNamespace() ? StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1) : -1;
        long src =
                settings.isNamespace() ? StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1) : -1;
        V newValue = null;
        if (r.value() != null) {
            try {
                if (settings.needsDecode()) {
                    newValue = codec.decodeRead(r.value());
                } else {
                    codec.checkHeader(r.value());
                }
            } catch (StatecastException e) {
                skip(r, e.getMessage());
                return;
            }
        }
        ChangeMeta meta =
                new ChangeMeta(r.partition(), r.offset(), version, src, state == ViewStatus.State.BOOTSTRAPPING);
        apply(ps, r.key(), r.value(), newValue, meta);
        ps.appliedSrcOffset = Math.max(ps.appliedSrcOffset, src);
        if (verifying) {
            ps.history.record(src, r.timestamp(), settings.clock().millis(), ps.digest);
        }
        applied.incrementAndGet();
    }

    private void apply(PartitionState ps, byte[] key, byte[] raw, V decoded, ChangeMeta meta) {
        if (raw != null
                && settings.rules().filter() == null
                && settings.rules().transform() == null
                && ps.foreignHashes.isEmpty()) {
            // The common case (every entry kept as read): one table probe, no wrapper for the foreign map.
            byte[] oldStored = ps.entries.put(key, raw);
            if (oldStored != null) {
                ps.digest.remove(key, oldStored);
            }
            ps.digest.add(key, raw);
            changed(
                    key,
                    oldStored != null && settings.needsDecode() ? codec.decodeStored(oldStored, true) : null,
                    decoded,
                    meta);
            return;
        }
        long[] foreign = ps.foreignHashes.isEmpty() ? null : ps.foreignHashes.remove(key); // reused array: read at once
        byte[] oldStored = ps.entries.get(key);
        if (foreign != null) {
            ps.digest.removeHash(foreign[0], foreign[1]);
        } else if (oldStored != null) {
            ps.digest.remove(key, oldStored);
        }
        boolean oldRaw = foreign == null;
        V oldValue = oldStored != null && settings.needsDecode() ? codec.decodeStored(oldStored, oldRaw) : null;
        if (raw == null) {
            if (oldStored != null) {
                ps.entries.remove(key);
                changed(key, oldValue, null, meta);
            }
            return;
        }
        boolean keep =
                settings.rules().filter() == null || settings.rules().filter().test(decoded);
        V stored = keep && settings.rules().transform() != null
                ? settings.rules().transform().apply(decoded)
                : decoded;
        if (!keep || settings.rules().transform() != null) {
            long[] h = EntryHash.of(key, raw);
            ps.foreignHashes.put(key, h[0], h[1]);
            ps.digest.addHash(h[0], h[1]);
        } else {
            ps.digest.add(key, raw);
        }
        if (!keep) {
            if (oldStored != null) {
                ps.entries.remove(key);
                changed(key, oldValue, null, meta);
            }
            return;
        }
        ps.entries.put(key, settings.rules().transform() != null ? codec.encodeStored(stored) : raw);
        changed(key, oldValue, stored, meta);
    }

    private void changed(byte[] key, V oldValue, V newValue, ChangeMeta meta) {
        if (!settings.needsDecode()) {
            return;
        }
        String k = new String(key, StandardCharsets.UTF_8);
        indexes.update(k, oldValue, newValue);
        if (!listeners.isEmpty()) {
            Change<V> c = new Change<>(k, oldValue, newValue, meta);
            listeners.forEach(l -> l.offer(c));
        }
    }

    // A mark is committed in the transaction of the state records it covers, so the state partitions'
    // last stable offsets, asked for after the mark was read, lie at or past those records. The consumer's
    // cached lag cannot be used: it may come from a fetch made before that transaction committed, and a
    // checksum compared too early is a false mismatch. Null when the broker did not answer in time.
    private Map<TopicPartition, Long> stableEndsForMarks(ConsumerRecords<byte[], byte[]> records) {
        Set<TopicPartition> marked = new HashSet<>();
        for (TopicPartition tp : records.partitions()) {
            if (!tp.topic().equals(stateTopic) && partitions.containsKey(tp.partition())) {
                marked.add(new TopicPartition(stateTopic, tp.partition()));
            }
        }
        return marked.isEmpty() ? Map.of() : stableEnds(marked);
    }

    /** The partitions' last stable offsets (read_committed), asked now; null when the broker did not answer in 2 s. */
    private Map<TopicPartition, Long> stableEnds(Collection<TopicPartition> tps) {
        try {
            return consumer.endOffsets(tps, Duration.ofSeconds(2));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            log.debug("{} no end offsets for {}: {}", logId, tps, e.getMessage());
            return null;
        }
    }

    /** The state partition's last stable offset, asked now; null when the broker did not answer in time. */
    Long stableEnd(int partition) {
        TopicPartition tp = new TopicPartition(stateTopic, partition);
        Map<TopicPartition, Long> ends = stableEnds(List.of(tp));
        return ends == null ? null : ends.get(tp);
    }

    private void applyMark(ConsumerRecord<byte[], byte[]> r, Map<TopicPartition, Long> stableEnds) {
        PartitionState ps = partitions.get(r.partition());
        if (ps == null || r.value() == null) {
            return;
        }
        long src;
        Object mark;
        try {
            mark = Envelopes.decodeChecksumsValue(r.value());
            src = mark instanceof Checksum c ? c.getSrcOffset() : ((Progress) mark).getSrcOffset();
        } catch (StatecastException e) {
            skip(r, e.getMessage());
            return;
        }
        // The mark counts once this view's state position reaches the state partition's stable end as of
        // after the mark was read (see stableEndsForMarks); never less than the end captured at start.
        TopicPartition tp = new TopicPartition(stateTopic, ps.partition);
        Long stableEnd = stableEnds == null ? null : stableEnds.get(tp);
        if (stableEnd == null) {
            return; // no safe position to compare at: a later mark will do
        }
        long required = Math.max(ps.endOffset, stableEnd);
        // And once the view applied the state record the mark follows: the stable offset alone can stop
        // short of it while the transaction's commit marker has reached the checksums partition only.
        long stateSrc =
                StatecastHeaders.readLong(r.headers(), StatecastHeaders.STATE_SRC_OFFSET, PartitionState.UNKNOWN);
        long deadline = System.nanoTime() + Verifier.GRACE_NANOS;
        if (src > ps.pendingMarkSrcOffset) {
            ps.pendingMarkSrcOffset = src;
            ps.pendingMarkPosition = required;
            ps.pendingMarkStateSrc = stateSrc;
            ps.pendingMarkDeadlineNanos = deadline;
        }
        if (verifying && mark instanceof Checksum c) {
            ps.pendingChecks.add(new PartitionState.PendingCheck(c, required, stateSrc, deadline));
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> r, String why) {
        long n = skipped.incrementAndGet();
        if (n <= 10 || Long.bitCount(n) == 1) { // the first ten, then at powers of two: never a flood
            log.warn(
                    "{} skipped record {}-{}@{} ({} skipped so far): {}",
                    logId,
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    n,
                    why);
        }
    }

    // ---- failures and resets ----

    private long snapshotIntervalNanos() {
        return settings.config().snapshotInterval().toNanos();
    }

    private void snapshotOnClose() {
        if (settings.config().snapshotDir() != null
                && cause == null
                && (state == ViewStatus.State.READY || state == ViewStatus.State.STALE)) {
            new WarmStart<>(this).save();
        }
    }

    private void periodicChecks() {
        long now = System.nanoTime();
        if (settings.config().snapshotDir() != null && now >= nextSnapshot && state == ViewStatus.State.READY) {
            nextSnapshot = now + snapshotIntervalNanos();
            new WarmStart<>(this).save();
        }
        if (now >= nextHealthCheck) {
            nextHealthCheck = now + settings.config().brokerCheckInterval().toNanos();
            checkBroker();
        }
        if (now >= nextTopicCheck) {
            nextTopicCheck = now + settings.config().topicCheckInterval().toNanos();
            checkTopicId();
        }
    }

    // A broker that does not answer leaves the view readable but stale; recovery resumes from the positions.
    private void checkBroker() {
        try {
            consumer.endOffsets(
                    partitions.keySet().stream()
                            .map(p -> new TopicPartition(stateTopic, p))
                            .toList(),
                    Duration.ofMillis(1500));
            if (staleSince != null) {
                log.info(
                        "{} broker reachable again after {} ms; resuming from the positions",
                        logId,
                        Duration.between(staleSince, settings.clock().instant()).toMillis());
                staleSince = null;
                if (state == ViewStatus.State.STALE) {
                    state = ViewStatus.State.READY;
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (staleSince == null) {
                staleSince = settings.clock().instant();
                log.warn("{} cannot reach the brokers; serving the last view, stale since {}", logId, staleSince);
                if (state == ViewStatus.State.READY) {
                    state = ViewStatus.State.STALE;
                }
            }
        }
    }

    private void checkTopicId() {
        Uuid now;
        try {
            now = currentTopicId();
        } catch (StatecastException e) {
            return; // deleted and not yet recreated, or unreachable: keep serving
        }
        if (topicId != null && !topicId.equals(now)) {
            log.warn("{} topic {} was recreated (id {} -> {}); re-bootstrapping", logId, stateTopic, topicId, now);
            topicId = now;
            rebootstrap(Set.copyOf(partitions.keySet()), ResetEvent.Reason.TOPIC_RECREATED);
        }
    }

    private Uuid currentTopicId() {
        try {
            return admin.describeTopics(List.of(stateTopic))
                    .allTopicNames()
                    .get(5, java.util.concurrent.TimeUnit.SECONDS)
                    .get(stateTopic)
                    .topicId();
        } catch (Exception e) {
            throw new StatecastException("Cannot describe " + stateTopic + ": " + e.getMessage(), e);
        }
    }

    /** Drops the partitions' entries and reads them again from the beginning; listeners get a reset. */
    public void rebootstrap(Set<Integer> which, ResetEvent.Reason reason) {
        if (which.isEmpty()) {
            return;
        }
        resets.incrementAndGet();
        lock.writeLock().lock();
        try {
            for (int p : which) {
                PartitionState ps = partitions.get(p);
                ps.entries.forEach(
                        (k, v) -> indexes.update(new String(k, StandardCharsets.UTF_8), decodeQuietly(v), null));
                ps.reset();
            }
            if (reason == ResetEvent.Reason.TOPIC_RECREATED) {
                indexes.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
        List<TopicPartition> tps =
                which.stream().map(p -> new TopicPartition(stateTopic, p)).toList();
        seekForBootstrap(tps);
        ResetEvent event = new ResetEvent(Set.copyOf(which), reason);
        listeners.forEach(l -> l.offer(event));
        log.warn("{} re-bootstrapping partition(s) {}: {}", logId, which, reason);
    }

    private V decodeQuietly(byte[] stored) {
        try {
            return settings.needsDecode()
                    ? codec.decodeStored(stored, settings.rules().transform() == null)
                    : null;
        } catch (StatecastException e) {
            return null;
        }
    }

    private void fail(Throwable t) {
        cause = t;
        state = ViewStatus.State.FAILED;
        log.error("{} failed", logId, t);
        ViewFailedException e = new ViewFailedException(logId + " failed: " + t.getMessage(), t);
        ready.completeExceptionally(e);
        awaiters.failAll(e);
    }

    // ---- reads (any thread) ----

    public V get(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        lock.readLock().lock();
        try {
            PartitionState ps = holder(k);
            if (ps == null) {
                return null;
            }
            byte[] stored = ps.entries.get(k);
            return stored == null ? null : codec.decodeStored(stored, !ps.foreignHashes.contains(k));
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean contains(String key) {
        lock.readLock().lock();
        try {
            return holder(key.getBytes(StandardCharsets.UTF_8)) != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    // The default partitioner's choice first, then the others (a producer may have chosen partitions itself).
    private PartitionState holder(byte[] key) {
        int n = topicPartitionCount;
        PartitionState likely = n == 0 ? null : partitions.get(Utils.toPositive(Utils.murmur2(key)) % n);
        if (likely != null && likely.entries.contains(key)) {
            return likely;
        }
        for (PartitionState ps : partitions.values()) {
            if (ps != likely && ps.entries.contains(key)) {
                return ps;
            }
        }
        return null;
    }

    public int size() {
        lock.readLock().lock();
        try {
            return partitions.values().stream()
                    .mapToInt(ps -> ps.entries.size())
                    .sum();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every entry, decoded, under one read lock (a consistent snapshot). */
    public Map<String, V> snapshot() {
        Map<String, V> out = new HashMap<>();
        forEach(out::put);
        return out;
    }

    public void forEach(BiConsumer<String, V> action) {
        lock.readLock().lock();
        try {
            for (PartitionState ps : partitions.values()) {
                ps.entries.forEach((k, v) -> action.accept(
                        new String(k, StandardCharsets.UTF_8), codec.decodeStored(v, !ps.foreignHashes.contains(k))));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    public Map<String, V> byIndex(String name, Object value) {
        if (!indexes.has(name)) {
            throw new StatecastException("No index named '" + name + "'; declare it with Builder#index");
        }
        Map<String, V> out = new HashMap<>();
        lock.readLock().lock();
        try {
            for (String key : indexes.keys(name, value)) {
                out.put(key, get(key));
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** Completes once partition {@code partition} has seen {@code changes} offset {@code srcOffset}. */
    public CompletableFuture<Void> awaitSrcOffset(int partition, long srcOffset) {
        if (!settings.isNamespace()) {
            throw new StatecastException("await(receipt) needs a namespace view: a plain topic has no srcOffset");
        }
        CompletableFuture<Void> f = awaiters.add(partition, srcOffset);
        lock.readLock().lock();
        try {
            PartitionState ps = partitions.get(partition);
            if (ps != null && ps.seenSrcOffset() >= srcOffset) {
                f.complete(null);
            }
        } finally {
            lock.readLock().unlock();
        }
        return f;
    }

    public CompletableFuture<ViewStatus> ready() {
        return ready;
    }

    public ViewStatus.State state() {
        return state;
    }

    public ViewStatus status() {
        return new ViewStatus(state, progress(), staleSince, cause, List.copyOf(alarms));
    }

    private List<PartitionProgress> progress() {
        lock.readLock().lock();
        try {
            return partitions.values().stream()
                    .map(ps -> new PartitionProgress(
                            ps.partition, ps.records, ps.bytes, ps.endOffset, ps.position, ps.lag))
                    .toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    public ViewStats stats() {
        long stored;
        long entries;
        lock.readLock().lock();
        try {
            stored = partitions.values().stream()
                    .mapToLong(ps -> ps.entries.storedBytes())
                    .sum();
            entries = partitions.values().stream()
                    .mapToLong(ps -> ps.entries.size())
                    .sum();
        } finally {
            lock.readLock().unlock();
        }
        Duration staleness = staleSince == null
                ? Duration.ZERO
                : Duration.between(staleSince, settings.clock().instant());
        return new ViewStats(
                entries,
                stored,
                progress(),
                new ViewStats.Reading(applied.get(), skipped.get(), fetchedBytes.get(), resets.get()),
                new ViewStats.Times(staleness, bootstrapDuration, splayDrawn),
                listeners.stream().map(ListenerRunner::stats).toList(),
                verifier.checks(),
                startMode);
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.forEach(ListenerRunner::close);
        state = ViewStatus.State.CLOSED;
        awaiters.failAll(new StatecastException(logId + " closed"));
    }

    private void closeClients() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
