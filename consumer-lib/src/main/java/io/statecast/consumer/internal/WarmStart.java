package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a view to its snapshot file and loads it back on start. A snapshot is used only when its
 * format, topic and topic id, file checksum and entries-vs-digest all agree, and it is younger than
 * the state topic's {@code delete.retention.ms} (an older one may have missed tombstones the cleaner
 * has since removed, so deletes would be lost). Otherwise the view bootstraps fully and says why.
 */
final class WarmStart<V> {
    private static final Logger log = LoggerFactory.getLogger(WarmStart.class);
    private final ViewEngine<V> engine;

    WarmStart(ViewEngine<V> engine) {
        this.engine = engine;
    }

    Path file() {
        return engine.settings().config().snapshotDir().resolve(engine.stateTopic() + ".snapshot");
    }

    /** Writes the snapshot (called on the loop's thread, the only writer of the view). */
    void save() {
        long now = engine.settings().clock().millis();
        Uuid id = engine.topicId();
        engine.lock().readLock().lock();
        try {
            SnapshotFile.save(
                    file(),
                    engine.stateTopic(),
                    id.getMostSignificantBits(),
                    id.getLeastSignificantBits(),
                    now,
                    engine.partitionStates().values());
        } catch (IOException e) {
            log.warn("{} cannot write the snapshot {}: {}", engine.logId(), file(), e.toString());
        } finally {
            engine.lock().readLock().unlock();
        }
    }

    /**
     * Loads the snapshot when it is valid; returns false (and records why) otherwise. The file is
     * streamed straight into the partitions' tables; when anything turns out wrong (format, topic, topic
     * id, age, partitions, a partition's digest, the file's CRC) what was loaded is dropped again.
     */
    boolean tryLoad() {
        if (engine.settings().config().snapshotDir() == null) {
            return false;
        }
        if (!Files.exists(file())) {
            engine.startMode("full bootstrap: no snapshot in "
                    + engine.settings().config().snapshotDir());
            return false;
        }
        Loader loader = new Loader();
        engine.lock().writeLock().lock();
        try {
            SnapshotFile.stream(file(), loader);
            loader.finish();
            loader.announce();
        } catch (SnapshotFile.Invalid | IOException | RuntimeException e) {
            loader.discard();
            String reason = "full bootstrap: snapshot rejected: " + e.getMessage();
            engine.startMode(reason);
            log.warn("{} {}", engine.logId(), reason);
            return false;
        } finally {
            engine.lock().writeLock().unlock();
        }
        engine.resumeFrom(loader.positions);
        String mode = "warm restart from snapshot (" + loader.entries + " entries, written " + loader.age + " ms ago)";
        engine.startMode(mode);
        log.info("{} {}", engine.logId(), mode);
        return true;
    }

    // Validates as it reads and fills the partition states; the caller holds the write lock.
    private final class Loader implements SnapshotFile.Sink {
        final Map<Integer, Long> positions = new TreeMap<>();
        private final List<PartitionState> touched = new ArrayList<>();
        private final long[] hash = new long[2];
        private final long now = engine.settings().clock().millis();
        private PartitionState ps;
        private Digest check;
        private DigestValue saved;
        private long position;
        private long applied;
        private long mark;
        long age;
        int entries;

        @Override
        public void header(SnapshotFile.Header h) throws SnapshotFile.Invalid {
            String topic = h.topic();
            long topicIdHigh = h.topicIdHigh();
            long topicIdLow = h.topicIdLow();
            long writtenAtMs = h.writtenAtMs();
            int parts = h.partitions();
            if (!topic.equals(engine.stateTopic())) {
                throw new SnapshotFile.Invalid("it is a snapshot of another topic (" + topic + ")");
            }
            Uuid id = new Uuid(topicIdHigh, topicIdLow);
            if (!id.equals(engine.topicId())) {
                throw new SnapshotFile.Invalid(
                        "foreign topic id " + id + " (the topic was recreated; it is now " + engine.topicId() + ")");
            }
            long retention = engine.topicConfigLong("delete.retention.ms", 86_400_000L);
            age = now - writtenAtMs;
            if (age > retention) {
                throw new SnapshotFile.Invalid("too old: written " + age + " ms ago, more than delete.retention.ms="
                        + retention + " of " + engine.stateTopic() + ", so deletes may have been missed");
            }
            if (parts != engine.assignedPartitions().size()) {
                throw new SnapshotFile.Invalid(
                        "it holds " + parts + " partitions, this view reads " + engine.assignedPartitions());
            }
        }

        @Override
        public void partStart(SnapshotFile.PartHeader h) throws SnapshotFile.Invalid {
            int partition = h.partition();
            long position = h.position();
            long appliedSrcOffset = h.appliedSrcOffset();
            long markSrcOffset = h.markSrcOffset();
            DigestValue digest = h.digest();
            int n = h.entries();
            if (!engine.assignedPartitions().contains(partition) || positions.containsKey(partition)) {
                throw new SnapshotFile.Invalid(
                        "it holds partition " + partition + ", this view reads " + engine.assignedPartitions());
            }
            ps = engine.partitionStates()
                    .computeIfAbsent(
                            partition,
                            p -> new PartitionState(
                                    p, engine.settings().config().historyCapacity()));
            ps.reset();
            touched.add(ps);
            ps.entries.ensureCapacity(n);
            check = new Digest();
            saved = digest;
            this.position = position;
            this.applied = appliedSrcOffset;
            this.mark = markSrcOffset;
            positions.put(partition, position);
        }

        @Override
        public void entry(byte[] packed, boolean raw) {
            ps.entries.putPacked(packed);
            if (raw) {
                int keyLength = EntryTable.keyLengthOf(packed);
                EntryHash.hash(packed, 4, keyLength, packed, 4 + keyLength, packed.length - 4 - keyLength, hash);
                check.addHash(hash[0], hash[1]);
            }
            entries++;
        }

        @Override
        public void foreign(long fingerprint, long h0, long h1) {
            ps.foreignHashes.putFingerprint(fingerprint, h0, h1);
            check.addHash(h0, h1);
        }

        @Override
        public void partEnd() throws SnapshotFile.Invalid {
            if (!check.value().equals(saved)) {
                throw new SnapshotFile.Invalid("digest disagreement: the entries of partition " + ps.partition
                        + " do not add up to its saved digest");
            }
            ps.digest.set(saved);
            ps.position = position;
            ps.appliedSrcOffset = applied;
            ps.markSrcOffset = mark;
            ps.history.base(applied, now, saved);
        }

        void finish() throws SnapshotFile.Invalid {
            if (!positions.keySet().equals(new java.util.TreeSet<>(engine.assignedPartitions()))) {
                throw new SnapshotFile.Invalid("it holds partitions " + positions.keySet() + ", this view reads "
                        + engine.assignedPartitions());
            }
        }

        // Indexes and listeners hear of the entries only once the whole file proved valid.
        void announce() {
            if (!engine.settings().needsDecode()) {
                return;
            }
            for (PartitionState p : touched) {
                p.entries.forEach((k, v) -> engine.loaded(k, v, !p.foreignHashes.contains(k), p.partition));
            }
        }

        // Nothing of a rejected snapshot stays: the full bootstrap starts from empty partitions.
        void discard() {
            touched.forEach(PartitionState::reset);
        }
    }
}
