package io.statecast.consumer.internal;

import io.statecast.common.DigestValue;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * What a snapshot saves, pictured by the poll thread under the view's read lock: the state topic and
 * its id, when, and per partition its offsets (position, srcOffsets, when it was last caught up) and
 * digest (copied) with its tables. The tables
 * are the live ones, not copies — saving streams them to the file as they are stored instead of
 * building a second table in memory — and stay unchanged while the picture is saved, since the thread
 * that saves it is their only writer.
 */
record SnapshotImage(String topic, Uuid topicId, long writtenAtMs, List<Part> parts) {

    /** One partition as saved; {@code entries} and {@code foreign} are read, never written, by the save. */
    record Part(
            int partition,
            SnapshotFile.Offsets offsets,
            DigestValue digest,
            int digestVersion,
            EntryTable entries,
            ForeignHashes foreign) {}

    SnapshotImage {
        parts = List.copyOf(parts);
    }

    static Part of(Partition p) {
        return new Part(
                p.id,
                new SnapshotFile.Offsets(
                        p.progress.position, p.marks.applied(), p.marks.marked(), p.progress.caughtUpAtMs),
                p.table.digest.value(),
                p.table.digest.version(),
                p.table.entries,
                p.table.foreign);
    }
}
