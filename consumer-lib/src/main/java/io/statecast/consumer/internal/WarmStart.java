package io.statecast.consumer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Bytes;
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
        return engine.settings().snapshotDir().resolve(engine.stateTopic() + ".snapshot");
    }

    /** Writes the snapshot (called on the loop's thread, the only writer of the view). */
    void save() {
        long now = engine.settings().clock().millis();
        List<SnapshotFile.Part> parts = new ArrayList<>();
        engine.lock().readLock().lock();
        try {
            for (PartitionState ps : engine.partitionStates().values()) {
                parts.add(part(ps));
            }
        } finally {
            engine.lock().readLock().unlock();
        }
        Uuid id = engine.topicId();
        try {
            SnapshotFile.write(file(), new SnapshotFile.Snapshot(SnapshotFile.FORMAT, engine.stateTopic(),
                    id.getMostSignificantBits(), id.getLeastSignificantBits(), now, parts));
        } catch (IOException e) {
            log.warn("{} cannot write the snapshot {}: {}", engine.logId(), file(), e.toString());
        }
    }

    private static SnapshotFile.Part part(PartitionState ps) {
        List<byte[][]> entries = new ArrayList<>(ps.entries.size());
        List<byte[]> raw = new ArrayList<>(ps.entries.size());
        ps.entries.forEach((k, v) -> {
            entries.add(new byte[][] {k, v});
            raw.add(new byte[] {(byte) (ps.foreignHashes.containsKey(Bytes.wrap(k)) ? 0 : 1)});
        });
        List<Object[]> foreign = new ArrayList<>();
        ps.foreignHashes.forEach((k, h) -> foreign.add(new Object[] {k.get(), h[0], h[1]}));
        return new SnapshotFile.Part(ps.partition, ps.position, ps.appliedSrcOffset, ps.markSrcOffset, ps.digest.value(),
                entries, raw, foreign);
    }

    /** Loads the snapshot when it is valid; returns false (and records why) otherwise. */
    boolean tryLoad() {
        if (engine.settings().snapshotDir() == null) {
            return false;
        }
        if (!Files.exists(file())) {
            engine.startMode("full bootstrap: no snapshot in " + engine.settings().snapshotDir());
            return false;
        }
        try {
            SnapshotFile.Snapshot s = SnapshotFile.read(file());
            validate(s);
            load(s);
            return true;
        } catch (SnapshotFile.Invalid | IOException e) {
            String reason = "full bootstrap: snapshot rejected: " + e.getMessage();
            engine.startMode(reason);
            log.warn("{} {}", engine.logId(), reason);
            return false;
        }
    }

    private void validate(SnapshotFile.Snapshot s) throws SnapshotFile.Invalid {
        if (!s.topic().equals(engine.stateTopic())) {
            throw new SnapshotFile.Invalid("it is a snapshot of another topic (" + s.topic() + ")");
        }
        Uuid id = new Uuid(s.topicIdHigh(), s.topicIdLow());
        if (!id.equals(engine.topicId())) {
            throw new SnapshotFile.Invalid("foreign topic id " + id + " (the topic was recreated; it is now " + engine.topicId() + ")");
        }
        long retention = engine.topicConfigLong("delete.retention.ms", 86_400_000L);
        long age = engine.settings().clock().millis() - s.writtenAtMs();
        if (age > retention) {
            throw new SnapshotFile.Invalid("too old: written " + age + " ms ago, more than delete.retention.ms=" + retention
                    + " of " + engine.stateTopic() + ", so deletes may have been missed");
        }
        List<Integer> expected = engine.assignedPartitions();
        List<Integer> saved = s.parts().stream().map(SnapshotFile.Part::partition).sorted().toList();
        if (!saved.equals(expected)) {
            throw new SnapshotFile.Invalid("it holds partitions " + saved + ", this view reads " + expected);
        }
        for (SnapshotFile.Part p : s.parts()) {
            if (!SnapshotFile.digestAgrees(p)) {
                throw new SnapshotFile.Invalid("digest disagreement: the entries of partition " + p.partition()
                        + " do not add up to its saved digest");
            }
        }
    }

    private void load(SnapshotFile.Snapshot s) {
        Map<Integer, Long> positions = new TreeMap<>();
        long now = engine.settings().clock().millis();
        int entries = 0;
        engine.lock().writeLock().lock();
        try {
            for (SnapshotFile.Part p : s.parts()) {
                PartitionState ps = engine.partitionStates().computeIfAbsent(p.partition(),
                        n -> new PartitionState(n, engine.settings().historyCapacity()));
                ps.reset();
                ps.entries.ensureCapacity(p.entries().size());
                for (int i = 0; i < p.entries().size(); i++) {
                    byte[][] e = p.entries().get(i);
                    ps.entries.put(e[0], e[1]);
                    engine.loaded(e[0], e[1], p.rawFlags().get(i)[0] == 1, p.partition());
                }
                p.foreign().forEach(f -> ps.foreignHashes.put(Bytes.wrap((byte[]) f[0]), new long[] {(Long) f[1], (Long) f[2]}));
                ps.digest.set(p.digest());
                ps.position = p.position();
                ps.appliedSrcOffset = p.appliedSrcOffset();
                ps.markSrcOffset = p.markSrcOffset();
                ps.history.base(p.appliedSrcOffset(), now, p.digest());
                positions.put(p.partition(), p.position());
                entries += p.entries().size();
            }
        } finally {
            engine.lock().writeLock().unlock();
        }
        engine.resumeFrom(positions);
        String mode = "warm restart from snapshot (" + entries + " entries, written " + (now - s.writtenAtMs()) + " ms ago)";
        engine.startMode(mode);
        log.info("{} {}", engine.logId(), mode);
    }

}
