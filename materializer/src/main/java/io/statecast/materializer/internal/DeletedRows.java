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
 *
 * <p>A pass runs only when a deleted row may be due: the first pass after start (the store may hold deleted
 * rows restored or rebuilt), then, once a pass ends, the next one starts when the oldest deleted row it left
 * (or deleted since it started, {@link #recorded}) reaches {@link #purgeAfterMs()}; none left and none deleted
 * since: no pass at all until a key is deleted. So a table without deletes is not read, and the bound above
 * holds: a pass starts at the latest when its oldest row falls due and takes at most a quarter.
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
    /** Whether a pass is under way (its cursor, null before its first batch, and the rows it left). */
    private boolean inPass;
    /** When the next pass is due (0: at the first sweep, the store as restored is unknown; MAX: no deleted row). */
    private long nextPassAt;
    /** The oldest deletion time of the rows the running pass left, and of the deletes recorded since it began. */
    private long oldestLeft = Long.MAX_VALUE;

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

    /** Notes a key deleted at {@code deletedAt} (the time its row carries): a pass falls due when it can be purged. */
    void recorded(long deletedAt) {
        if (inPass) {
            oldestLeft = Math.min(oldestLeft, deletedAt);
        } else {
            nextPassAt = Math.min(nextPassAt, dueAt(deletedAt));
        }
    }

    /**
     * When a pass is due or under way, reads its next batch of rows and purges the deleted rows deleted at least
     * {@link #purgeAfterMs()} before {@code now}; otherwise reads nothing.
     *
     * @return the highest version purged in this step, 0 when none
     */
    long sweep(long now) {
        if (!inPass) {
            if (now < nextPassAt) {
                return 0;
            }
            inPass = true;
            oldestLeft = Long.MAX_VALUE;
        }
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
        if (cursor == null) {
            inPass = false;
            nextPassAt = dueAt(oldestLeft);
        }
        return floor;
    }

    private long dueAt(long deletedAt) {
        return deletedAt > Long.MAX_VALUE - purgeAfterMs ? Long.MAX_VALUE : deletedAt + purgeAfterMs;
    }

    // The row's version when purged, else 0 (and the row is left to a later pass).
    private long purgeOrStamp(Bytes key, TableEntry e, long now) {
        if (e.deletedAt() < 0) {
            table.put(key, new TableEntry(e.version(), null, e.source(), now).encode());
            oldestLeft = Math.min(oldestLeft, now);
        } else if (now - e.deletedAt() < purgeAfterMs) {
            oldestLeft = Math.min(oldestLeft, e.deletedAt());
        } else {
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
