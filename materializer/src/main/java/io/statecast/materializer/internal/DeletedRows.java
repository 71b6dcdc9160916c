package io.statecast.materializer.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the deleted rows of one task's table bounded (docs/materializer.md, "Deleted keys"). A deleted row
 * (version, source order, when deleted) lets a re-create continue the key's versions and a replayed captured
 * delete be recognized; with keys that never come back (pods have unique names) such rows piled up for ever,
 * in the store and in its restore time. Each sweep reads the next batch of rows after a cursor and purges the
 * deleted rows older than half the state topic's {@code delete.retention.ms}; the batch is large enough for a
 * whole pass over the table to take at most a quarter of it. So a row is purged within three quarters of
 * {@code delete.retention.ms} after its delete, while its tombstone is still in {@code state} (the cleaner
 * keeps a tombstone at least that long): a rebuild from the state log finds every row the table still holds.
 * The highest version purged raises the caller's version floor. A deleted row of a store written before
 * deletion times were kept gets the sweep's time when the sweep first sees it.
 */
final class DeletedRows {
    /** Fewest rows one sweep reads (a small table is read whole). */
    static final int MIN_BATCH = 1000;
    /** Most rows one sweep reads: a sweep runs on the stream thread, between records. */
    static final int MAX_BATCH = 50_000;

    private final KeyValueStore<Bytes, byte[]> table;
    private final long purgeAfterMs;
    private final long passMs;
    private final long intervalMs;
    private Bytes cursor;
    private long purged;

    /**
     * @param deleteRetentionMs the state topic's {@code delete.retention.ms}
     * @param intervalMs how often {@link #sweep} is called
     */
    DeletedRows(KeyValueStore<Bytes, byte[]> table, long deleteRetentionMs, long intervalMs) {
        this.table = table;
        this.purgeAfterMs = deleteRetentionMs / 2;
        this.passMs = Math.max(1, deleteRetentionMs / 4);
        this.intervalMs = intervalMs;
    }

    /** How long a deleted row is kept at least. */
    long purgeAfterMs() {
        return purgeAfterMs;
    }

    /**
     * Reads the next batch of rows (from the first again after the last) and purges the deleted rows deleted
     * at least {@link #purgeAfterMs()} before {@code now}.
     *
     * @return the highest version purged in this step, 0 when none
     */
    long sweep(long now) {
        List<KeyValue<Bytes, TableEntry>> deleted = new ArrayList<>();
        int batch = batch();
        try (KeyValueIterator<Bytes, byte[]> it = cursor == null ? table.all() : table.range(cursor, null)) {
            for (int n = 0; n < batch && it.hasNext(); n++) {
                KeyValue<Bytes, byte[]> row = it.next();
                TableEntry e = TableEntry.decode(row.value);
                if (!e.live()) {
                    deleted.add(KeyValue.pair(row.key, e));
                }
            }
            cursor = it.hasNext() ? it.peekNextKey() : null;
        }
        long floor = 0;
        for (KeyValue<Bytes, TableEntry> d : deleted) {
            floor = Math.max(floor, purgeOrStamp(d.key, d.value, now));
        }
        return floor;
    }

    // The row's version when purged, else 0.
    private long purgeOrStamp(Bytes key, TableEntry e, long now) {
        if (e.deletedAt() < 0) {
            table.put(key, new TableEntry(e.version(), null, e.source(), now).encode());
        } else if (now - e.deletedAt() >= purgeAfterMs) {
            table.delete(key);
            purged++;
            return e.version();
        }
        return 0;
    }

    // Rows per sweep so that one pass over the table takes at most passMs.
    private int batch() {
        long rows = table.approximateNumEntries();
        long sweepsPerPass = Math.max(1, passMs / Math.max(1, intervalMs));
        long wanted = (rows + sweepsPerPass - 1) / sweepsPerPass;
        return (int) Math.min(MAX_BATCH, Math.max(MIN_BATCH, wanted));
    }

    /** Rows purged so far by this task. */
    long purged() {
        return purged;
    }
}
