package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import io.statecast.consumer.PartitionProgress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Utils;

/**
 * The view's partitions and the lock that guards them. The poll thread is the only writer and holds the
 * write lock while it applies a poll's records; reads from any thread take the read lock, so a read sees
 * whole polls only. Values are stored as bytes and decoded on read.
 */
final class ViewTable<V> {
    /** Entries and the bytes they take, summed over the partitions. */
    record Totals(long entries, long storedBytes) {}

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object wholeSignal = new Object();
    private final Map<Integer, Partition> partitions = new TreeMap<>();
    private final ValueCodec<V> codec;
    private final Indexes<V> indexes;
    private final StoredValues values;
    private volatile int topicPartitionCount;
    /** Maps the view's tables to Kafka partitions (a slice view has a table per source partition). */
    private volatile ViewSource source;

    ViewTable(ValueCodec<V> codec, Indexes<V> indexes) {
        this(codec, indexes, StoredValues.none());
    }

    /** @param values how every table of the view keeps its values (compressed or as read) */
    ViewTable(ValueCodec<V> codec, Indexes<V> indexes, StoredValues values) {
        this.codec = codec;
        this.indexes = indexes;
        this.values = values;
    }

    /** How the view's tables keep their values; every new table of the view is given it. */
    StoredValues values() {
        return values;
    }

    // ---- the writer's side (the poll thread) ----

    Lock writeLock() {
        return lock.writeLock();
    }

    /** For the writer when it must keep other writers (the test seam) out while it reads, e.g. to save. */
    Lock readLock() {
        return lock.readLock();
    }

    /** Any value stored in the view (the test seam's foreign entry), or null when it is empty. */
    byte[] anyStored() {
        byte[][] any = new byte[1][];
        for (Partition p : partitions.values()) {
            p.table.entries.forEach((k, v) -> any[0] = any[0] == null ? v : any[0]);
        }
        return any[0];
    }

    /** The partitions, in order (poll thread, or under a lock). */
    Collection<Partition> partitions() {
        return partitions.values();
    }

    /** A partition of this view, or null. */
    Partition partition(int id) {
        return partitions.get(id);
    }

    /** Adds or replaces a partition (under the write lock). */
    void put(Partition p) {
        partitions.put(p.id, p);
    }

    /** What the view reads, and how many partitions its topic has (the default partitioner's modulus). */
    void layout(ViewSource s, int topicPartitions) {
        source = s;
        topicPartitionCount = topicPartitions;
    }

    /**
     * The partition the default partitioner puts {@code key} in, if this view reads it. In a slice view the
     * key's slice partition depends on its value: the table of its source partition in the view's first
     * slice partition (its holder is looked for in every table).
     */
    Partition home(byte[] key) {
        int n = topicPartitionCount;
        ViewSource s = source;
        if (s != null && s.slice() != null) { // the first slice partition's table of the key's source partition
            int p = Utils.toPositive(Utils.murmur2(key)) % s.slice().sources();
            return partitions.get(
                    s.tableOf(s.partitions().stream().min(Integer::compare).orElse(0), p));
        }
        return n == 0 ? null : partitions.get(Utils.toPositive(Utils.murmur2(key)) % n);
    }

    /** The partition holding {@code key}: the default partitioner's choice first, then the others (a producer may choose). */
    Partition holder(byte[] key) {
        Partition likely = home(key);
        if (likely != null && likely.table.entries.contains(key)) {
            return likely;
        }
        for (Partition p : partitions.values()) {
            if (p != likely && p.table.entries.contains(key)) {
                return p;
            }
        }
        return null;
    }

    /** Another partition than {@code except} holding {@code key}, or null (a slice view's entity moving). */
    Partition otherHolder(byte[] key, Partition except) {
        for (Partition p : partitions.values()) {
            if (p != except && p.table.entries.contains(key)) {
                return p;
            }
        }
        return null;
    }

    /** The decoded value of stored bytes of a partition's table. */
    V decode(PartitionTable t, byte[] key, byte[] stored) {
        return codec.decodeStored(stored, t.isRaw(key));
    }

    // ---- reads (any thread) ----

    /** A read of a partition being read again: it would see partial entries. */
    static final class NotWhole extends StatecastException {
        private static final long serialVersionUID = 1L;

        NotWhole(String what) {
            super(what + " is being read again; its entries are partial until it is whole");
        }
    }

    /**
     * Runs {@code read} under the read lock if the partitions it reads are whole: the home partition of
     * {@code key} (null: every partition; a slice view: every table).
     *
     * @throws NotWhole otherwise
     */
    <T> T whole(String key, java.util.function.Supplier<T> read) {
        lock.readLock().lock();
        try {
            Partition home = key == null || source == null || source.sliced()
                    ? null
                    : home(key.getBytes(StandardCharsets.UTF_8));
            for (Partition p : home == null ? partitions.values() : List.of(home)) {
                if (!p.whole) {
                    throw new NotWhole(source == null ? "partition " + p.id : source.describe(p.id));
                }
            }
            return read.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Waits up to {@code timeout} until every partition is whole. @return whether it is */
    boolean awaitWhole(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (wholeSignal) {
            while (!allWhole()) {
                long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    wholeSignal.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Partitions became whole (called without the write lock: a waiting reader holds the signal's monitor). */
    void signalWhole() {
        synchronized (wholeSignal) {
            wholeSignal.notifyAll();
        }
    }

    private boolean allWhole() {
        lock.readLock().lock();
        try {
            return partitions.values().stream().allMatch(p -> p.whole);
        } finally {
            lock.readLock().unlock();
        }
    }

    V get(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        lock.readLock().lock();
        try {
            // holder(k)'s order in one probe a partition: a compressed key is compared by decompressing
            Partition p = home(k);
            byte[] stored = p == null ? null : p.table.entries.get(k);
            if (stored == null) {
                Partition likely = p;
                for (Partition q : partitions.values()) {
                    if (q != likely && (stored = q.table.entries.get(k)) != null) {
                        p = q;
                        break;
                    }
                }
            }
            return stored == null ? null : decode(p.table, k, stored);
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean contains(String key) {
        lock.readLock().lock();
        try {
            return holder(key.getBytes(StandardCharsets.UTF_8)) != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return partitions.values().stream()
                    .mapToInt(p -> p.table.entries.size())
                    .sum();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Visits every entry, decoded, under one read lock (a consistent snapshot). */
    void forEach(BiConsumer<String, V> action) {
        lock.readLock().lock();
        try {
            for (Partition p : partitions.values()) {
                p.table.entries.forEach(
                        (k, v) -> action.accept(new String(k, StandardCharsets.UTF_8), decode(p.table, k, v)));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    Map<String, V> byIndex(String name, Object value) {
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

    /**
     * How far in {@code changes} partition {@code p} has seen; {@link Long#MIN_VALUE} when not read here. A
     * slice view has seen it as far as the least of its tables of {@code p} (one per slice partition).
     */
    long seenSrcOffset(int p) {
        lock.readLock().lock();
        try {
            ViewSource s = source;
            if (s == null || !s.sliced()) {
                Partition part = partitions.get(p);
                return part == null ? Long.MIN_VALUE : part.marks.seen();
            }
            long seen = Long.MAX_VALUE;
            for (int q : s.partitions()) {
                Partition part = p < 0 || p >= s.slice().sources()
                        ? null
                        : partitions.get(s.slice().table(q, p));
                seen = Math.min(seen, part == null ? Long.MIN_VALUE : part.marks.seen());
            }
            return seen == Long.MAX_VALUE ? Long.MIN_VALUE : seen;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Per Kafka partition read (a slice view's tables of one slice partition summed). */
    List<PartitionProgress> progress() {
        lock.readLock().lock();
        try {
            ViewSource s = source;
            if (s == null || !s.sliced()) {
                return partitions.values().stream()
                        .map(p -> p.progress.snapshot(p.id))
                        .toList();
            }
            Map<Integer, PartitionProgress> byKafka = new TreeMap<>();
            for (Partition p : partitions.values()) {
                byKafka.merge(s.kafkaOf(p.id), p.progress.snapshot(s.kafkaOf(p.id)), ViewTable::sum);
            }
            return List.copyOf(byKafka.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    // Two tables of one slice partition: records and bytes add up; the offsets are the partition's.
    private static PartitionProgress sum(PartitionProgress a, PartitionProgress b) {
        return new PartitionProgress(
                a.partition(), a.records() + b.records(), a.bytes() + b.bytes(), a.endOffset(), a.position(), a.lag());
    }

    Totals totals() {
        lock.readLock().lock();
        try {
            long entries = 0;
            long bytes = 0;
            for (Partition p : partitions.values()) {
                entries += p.table.entries.size();
                bytes += p.table.entries.storedBytes();
            }
            return new Totals(entries, bytes);
        } finally {
            lock.readLock().unlock();
        }
    }
}
