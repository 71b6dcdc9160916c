package io.statecast.consumer.internal;

import io.statecast.common.DigestValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * What a snapshot saves, pictured by the poll thread under the view's read lock: the state topic and
 * its id, when, and per partition its offsets (position, srcOffsets, when it was last caught up) and
 * digest (copied) with its entries. The entries are either the live tables, which the save streams to the
 * file as they are stored and which hold still only while the poll thread (their only writer) is the one
 * saving, or frozen ones ({@link #frozen}), which a save on another thread reads while the view goes on.
 */
record SnapshotImage(String topic, Uuid topicId, long writtenAtMs, List<Part> parts) {

    /** One partition as saved; {@code entries} and {@code foreign} are read, never written, by the save. */
    record Part(
            int partition,
            SnapshotFile.Offsets offsets,
            DigestValue digest,
            int digestVersion,
            PackedEntries entries,
            ForeignHashes foreign) {}

    SnapshotImage {
        parts = List.copyOf(parts);
    }

    /** The partition with its live tables: for a save on the poll thread. */
    static Part of(Partition p) {
        return part(p, p.table.entries, p.table.foreign);
    }

    /** The partitions with their entries frozen and their foreign hashes copied, for a save on another thread. */
    static List<Part> frozen(Collection<Partition> partitions) {
        List<Part> parts = new ArrayList<>(partitions.size());
        for (Partition p : partitions) {
            parts.add(part(p, p.table.entries.freeze(), p.table.foreign.copy()));
        }
        return parts;
    }

    private static Part part(Partition p, PackedEntries entries, ForeignHashes foreign) {
        return new Part(
                p.id,
                new SnapshotFile.Offsets(
                        p.progress.position, p.marks.applied(), p.marks.marked(), p.progress.caughtUpAtMs),
                p.table.digest.value(),
                p.table.digest.version(),
                entries,
                foreign);
    }
}
