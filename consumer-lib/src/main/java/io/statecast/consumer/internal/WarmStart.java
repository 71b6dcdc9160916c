package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a view's picture to its snapshot file and loads it back on start. A snapshot is used only when
 * its format, topic and topic id, configuration ({@link ConfigFingerprint}), file checksum and
 * entries-vs-digest all agree (checked by the writer for format 6 files, whose load checks the CRC and
 * the counts; re-hashed entry by entry on load for format 5: {@link SnapshotFile}), and every partition
 * was caught up (read to its end) within the state topic's {@code delete.retention.ms} minus a margin
 * ({@link Retention}: one caught up longer ago may have missed tombstones the cleaner has since removed,
 * so deletes would be lost; when the file was written does not matter). Otherwise the view bootstraps fully and says why. It takes what it checks as inputs
 * and returns what it loaded: it knows nothing of the view.
 */
final class WarmStart {
    private static final Logger log = LoggerFactory.getLogger(WarmStart.class);
    private static final Duration LEFTOVER_QUIET = Duration.ofMinutes(1);

    /** What a load checks the file against. {@code deleteRetentionMs} is asked only when a file exists. */
    record Expect(
            Uuid topicId,
            List<Integer> partitions,
            long nowMs,
            int historyCapacity,
            LongSupplier deleteRetentionMs,
            StoredValues values) {}

    /** One partition as loaded: fresh tables whose digest matched the saved one, and its saved offsets. */
    record LoadedPartition(int partition, SnapshotFile.Offsets offsets, PartitionTable table) {
        long position() {
            return offsets.position();
        }
    }

    /** The partitions of a valid snapshot ({@code loaded}), or none; {@code startMode} says which, and why. */
    record Result(boolean loaded, List<LoadedPartition> partitions, String startMode) {}

    private final Path file;
    private final String stateTopic;
    private final String logId;
    private final String config;
    private volatile Runnable beforeWrite;

    WarmStart(Path dir, String stateTopic, String logId) {
        this(dir, stateTopic, stateTopic + ".snapshot", logId, "");
    }

    /**
     * @param fileName the snapshot's name in {@code dir} (a slice view's names its values)
     * @param config the view's configuration ({@link ConfigFingerprint}): saved, and required to load
     */
    WarmStart(Path dir, String stateTopic, String fileName, String logId, String config) {
        this.file = dir.resolve(fileName);
        this.stateTopic = stateTopic;
        this.logId = logId;
        this.config = config;
    }

    /**
     * Writes the picture (temporary file, then an atomic rename); whether it was written. A failure is
     * logged, never thrown.
     */
    boolean save(SnapshotImage image) {
        Runnable hook = beforeWrite;
        if (hook != null) {
            hook.run();
        }
        try {
            SnapshotWriter.save(file, image, config, SnapshotWriter.Sync.DISK);
        } catch (IOException e) {
            log.warn("{} cannot write the snapshot {}: {}", logId, file, e.toString());
            return false;
        }
        removeLeftovers();
        return true;
    }

    // Temporary files of saves killed before their rename; one still being written (another view sharing
    // the directory) changes every moment, so only those quiet for a minute go.
    private void removeLeftovers() {
        try {
            int n = SnapshotWriter.removeLeftovers(file, LEFTOVER_QUIET);
            if (n > 0) {
                log.info("{} removed {} temporary file(s) of snapshot saves that never finished", logId, n);
            }
        } catch (IOException e) {
            log.warn(
                    "{} cannot remove the temporary files of unfinished saves in {}: {}",
                    logId,
                    file.getParent(),
                    e.toString());
        }
    }

    /** Tests: runs {@code hook} on the saving thread before each write (null: none). */
    void beforeWriteForTest(Runnable hook) {
        beforeWrite = hook;
    }

    /**
     * Loads the snapshot when it is valid. The file is streamed straight into fresh tables, checked as it
     * is read; when anything turns out wrong (format, topic, topic id, configuration, partitions, a
     * partition's age or digest, the file's CRC) nothing loaded is returned.
     */
    Result load(Expect expect) {
        removeLeftovers();
        if (!Files.exists(file)) {
            return new Result(false, List.of(), "full bootstrap: no snapshot in " + file.getParent());
        }
        Loader loader = new Loader(expect);
        long t0 = System.nanoTime();
        try {
            SnapshotFile.stream(file, loader);
            loader.finish();
        } catch (SnapshotFile.Invalid | IOException | RuntimeException e) {
            String reason = "full bootstrap: snapshot rejected: " + e.getMessage();
            log.warn("{} {}", logId, reason);
            return new Result(false, List.of(), reason);
        }
        String mode = "warm restart from snapshot (" + loader.entries + " entries, written " + loader.age + " ms ago)";
        log.info("{} {}; file read in {} ms", logId, mode, (System.nanoTime() - t0) / 1_000_000);
        return new Result(true, List.copyOf(loader.loaded), mode);
    }

    // Validates as it reads and fills fresh tables, one partition at a time.
    private final class Loader implements SnapshotFile.Sink {
        private final Expect expect;
        private final List<LoadedPartition> loaded = new ArrayList<>();
        private final Set<Integer> seen = new TreeSet<>();
        private SnapshotFile.PartHeader part;
        private PartitionTable table;
        private Digest check;
        /** Re-hash every entry (format 5); a format 6 file's writer did (its CRC covers them since). */
        private boolean rehash;

        private int rawEntries; // of the partition being read
        private int hashesRead;
        private long age;
        private long retention;
        private int entries;

        Loader(Expect expect) {
            this.expect = expect;
        }

        @Override
        public void header(SnapshotFile.Header h) throws SnapshotFile.Invalid {
            if (!h.topic().equals(stateTopic)) {
                throw new SnapshotFile.Invalid("it is a snapshot of another topic (" + h.topic() + ")");
            }
            Uuid id = new Uuid(h.topicIdHigh(), h.topicIdLow());
            if (!id.equals(expect.topicId())) {
                throw new SnapshotFile.Invalid(
                        "foreign topic id " + id + " (the topic was recreated; it is now " + expect.topicId() + ")");
            }
            if (!h.config().equals(config)) {
                throw new SnapshotFile.Invalid(
                        "saved under another configuration (" + h.config() + "), this view runs " + config);
            }
            rehash = h.format() < SnapshotFile.FORMAT;
            retention = expect.deleteRetentionMs().getAsLong();
            age = expect.nowMs() - h.writtenAtMs();
            if (h.partitions() != expect.partitions().size()) {
                throw new SnapshotFile.Invalid(
                        "it holds " + h.partitions() + " partitions, this view reads " + expect.partitions());
            }
        }

        @Override
        public void partStart(SnapshotFile.PartHeader p) throws SnapshotFile.Invalid {
            if (!expect.partitions().contains(p.partition()) || !seen.add(p.partition())) {
                throw new SnapshotFile.Invalid(
                        "it holds partition " + p.partition() + ", this view reads " + expect.partitions());
            }
            if (!EntryHash.supports(p.digestVersion())) {
                throw new SnapshotFile.Invalid("partition " + p.partition() + " has a digest of version "
                        + p.digestVersion() + ", which this library does not compute");
            }
            long caughtUp = p.offsets().caughtUpAtMs();
            if (p.offsets().position() > 0 && Retention.mayHaveMissedDeletes(caughtUp, expect.nowMs(), retention)) {
                throw new SnapshotFile.Invalid(
                        Retention.why("partition " + p.partition(), caughtUp, expect.nowMs(), retention, stateTopic));
            }
            part = p;
            EntryHash hash = EntryHash.forVersion(p.digestVersion());
            table = new PartitionTable(expect.historyCapacity(), hash, expect.values());
            table.entries.ensureCapacity(p.entries());
            check = new Digest(hash);
            rawEntries = 0;
            hashesRead = 0;
        }

        @Override
        public void entry(byte[] packed, boolean raw) {
            table.entries.putPacked(packed);
            if (raw) {
                rawEntries++;
                if (rehash) {
                    int keyLength = PackedEntry.keyLengthOf(packed);
                    check.add(packed, 4, keyLength, packed, 4 + keyLength, packed.length - 4 - keyLength);
                }
            }
            entries++;
        }

        @Override
        public void foreign(long fingerprint, long h0, long h1) {
            table.foreign.putFingerprint(fingerprint, h0, h1);
            check.addHash(h0, h1);
            hashesRead++;
        }

        @Override
        public void partEnd() throws SnapshotFile.Invalid {
            DigestValue saved = part.digest();
            // A key or fingerprint twice in the file would add up to the digest and still be held once.
            if (table.entries.size() != part.entries() || table.foreign.size() != hashesRead) {
                throw new SnapshotFile.Invalid("partition " + part.partition() + " holds " + table.entries.size()
                        + " distinct keys and " + table.foreign.size() + " distinct filtered-out keys, its file "
                        + part.entries() + " entries and " + hashesRead + " hashes");
            }
            boolean agrees = rehash ? check.value().equals(saved) : rawEntries + hashesRead == saved.count();
            if (!agrees) {
                throw new SnapshotFile.Invalid("digest disagreement: the entries of partition " + part.partition()
                        + " do not add up to its saved digest");
            }
            table.digest.set(saved);
            table.history.base(part.offsets().appliedSrcOffset(), expect.nowMs(), saved);
            loaded.add(new LoadedPartition(part.partition(), part.offsets(), table));
        }

        void finish() throws SnapshotFile.Invalid {
            if (!seen.equals(new TreeSet<>(expect.partitions()))) {
                throw new SnapshotFile.Invalid(
                        "it holds partitions " + seen + ", this view reads " + expect.partitions());
            }
        }
    }
}
