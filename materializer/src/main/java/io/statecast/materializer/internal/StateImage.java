package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import io.statecast.common.StatecastHeaders;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The table rows and partition metadata one state partition's log implies, read in offset order: per key
 * the last record's version ({@code sc.version}), its value bytes exactly as written (none for a
 * tombstone: a deleted row that keeps its version) and the last source order any of its records carried
 * ({@code sc.sourcePosition}/{@code sc.sourceSequence}; a change through the producer API keeps it, as the
 * apply processor does). Compaction keeps each key's last record, so the image equals the table the log was
 * written from, except deleted keys whose tombstones the cleaner already removed.
 */
final class StateImage {
    private final Map<Bytes, TableEntry> rows = new HashMap<>();
    private long stateSrcOffset = -1;
    private long records;

    /** Applies the next record of the partition. */
    void apply(ConsumerRecord<byte[], byte[]> r) {
        long version = StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1);
        long src = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
        if (version < 1 || src < 0) {
            return; // not written by a materializer: nothing to learn from it
        }
        Bytes key = Bytes.wrap(r.key());
        TableEntry before = rows.get(key);
        SourceOrder source = sourceOf(r);
        if (source == null && before != null) {
            source = before.source();
        }
        // A tombstone's timestamp (the broker's append time on a state topic with LogAppendTime) stands for when
        // the key was deleted: its row is purged as the running materializer would purge it.
        rows.put(key, new TableEntry(version, r.value(), source, r.value() == null ? r.timestamp() : -1));
        stateSrcOffset = Math.max(stateSrcOffset, src);
        records++;
    }

    private static SourceOrder sourceOf(ConsumerRecord<byte[], byte[]> r) {
        long position = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SOURCE_POSITION, Long.MIN_VALUE);
        long sequence = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SOURCE_SEQUENCE, Long.MIN_VALUE);
        return position == Long.MIN_VALUE || sequence == Long.MIN_VALUE ? null : new SourceOrder(position, sequence);
    }

    /** Every row, deleted ones included. */
    Map<Bytes, TableEntry> rows() {
        return rows;
    }

    /** The srcOffset of the partition's last state record or tombstone, -1 when none. */
    long stateSrcOffset() {
        return stateSrcOffset;
    }

    /** Records applied. */
    long records() {
        return records;
    }

    /** The digest of the live rows, as the apply processor keeps it, with this entry hash (digest version). */
    Digest digest(EntryHash hash) {
        Digest d = new Digest(hash);
        rows.forEach((k, e) -> {
            if (e.live()) {
                d.add(k.get(), e.value());
            }
        });
        return d;
    }

    /**
     * The partition's metadata: the digest of the live rows, {@code lastSrcOffset} the last processed
     * change (at least this log's last srcOffset), covered up to {@code covered}, with the version floor of
     * purged rows the last mark carried.
     */
    PartitionMeta meta(EntryHash hash, long lastSrcOffset, long covered, long versionFloor) {
        long last = Math.max(lastSrcOffset, stateSrcOffset);
        PartitionMeta m = new PartitionMeta(
                digest(hash), last, Math.min(last, Math.max(covered, stateSrcOffset)), stateSrcOffset);
        m.versionFloor = versionFloor;
        return m;
    }
}
