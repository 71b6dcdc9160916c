package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.api.Test;

/** The sweep of deleted rows over Kafka Streams' in-memory store, with the clock stepped by hand. */
class DeletedRowsTest {
    private static final long RETENTION = 40_000;
    private static final long INTERVAL = 1000;

    @Test
    void aTableWithoutDeletesIsReadInOnePassAfterStartThenNotAgain() {
        ScanCountingStore table = new ScanCountingStore();
        for (int i = 0; i < 5000; i++) {
            table.put(key("live-" + i), new TableEntry(1, new byte[] {1}).encode());
        }
        DeletedRows rows = new DeletedRows(table, RETENTION, INTERVAL);
        long now = 0;
        for (; rows.sweep(now) == 0 && table.rowsRead < 5000; now += INTERVAL) {
            assertTrue(now < RETENTION / 4, "the first pass takes at most a quarter of delete.retention.ms");
        }
        int read = table.rowsRead;
        for (int i = 0; i < 100; i++, now += INTERVAL) {
            rows.sweep(now);
        }
        assertEquals(read, table.rowsRead, "rows read by 100 sweeps after the first pass, nothing deleted");
    }

    @Test
    void aDeletedRowIsPurgedBetweenHalfAndThreeQuartersOfDeleteRetention() {
        ScanCountingStore table = new ScanCountingStore();
        for (int i = 0; i < 3000; i++) {
            table.put(key("live-" + i), new TableEntry(1, new byte[] {1}).encode());
        }
        DeletedRows rows = new DeletedRows(table, RETENTION, INTERVAL);
        Random random = new Random(7);
        Map<Bytes, Long> deletedAt = new HashMap<>();
        for (long now = 0; now < 4 * RETENTION; now += INTERVAL) {
            if (now < 2 * RETENTION && random.nextInt(4) == 0) {
                Bytes k = key("gone-" + now);
                table.put(k, new TableEntry(3, null, null, now).encode());
                rows.recorded(now);
                deletedAt.put(k, now);
            }
            rows.sweep(now);
            for (Map.Entry<Bytes, Long> d : deletedAt.entrySet()) {
                long age = now - d.getValue();
                if (age < RETENTION / 2) {
                    assertNotNull(table.get(d.getKey()), "a row deleted " + age + " ms ago is kept");
                } else if (age > RETENTION * 3 / 4) {
                    assertNull(table.get(d.getKey()), "a row deleted " + age + " ms ago is purged");
                }
            }
        }
        assertEquals(deletedAt.size(), rows.purged());
    }

    @Test
    void deletedRowsInTheStoreAtStartArePurgedAndStampedWithoutAnyRecordedDelete() {
        ScanCountingStore table = new ScanCountingStore();
        table.put(key("old"), new TableEntry(4, null, null, 0).encode());
        table.put(key("unstamped"), new TableEntry(9, null, null).encode());
        DeletedRows rows = new DeletedRows(table, RETENTION, INTERVAL);
        long stampedAt = RETENTION / 2;
        assertEquals(4, rows.sweep(stampedAt));
        assertNull(table.get(key("old")));
        assertEquals(stampedAt, TableEntry.decode(table.get(key("unstamped"))).deletedAt());
        for (long now = stampedAt + INTERVAL; now <= stampedAt + RETENTION * 3 / 4; now += INTERVAL) {
            rows.sweep(now);
        }
        assertNull(table.get(key("unstamped")), "the row the first pass stamped, purged by a later pass");
    }

    private static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    /** Kafka Streams' in-memory store counting the rows its scans hand out (its all() is a range). */
    private static final class ScanCountingStore extends InMemoryKeyValueStore {
        int rowsRead;

        ScanCountingStore() {
            super("table");
        }

        @Override
        public synchronized KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return counting(super.range(from, to));
        }

        private KeyValueIterator<Bytes, byte[]> counting(KeyValueIterator<Bytes, byte[]> it) {
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public org.apache.kafka.streams.KeyValue<Bytes, byte[]> next() {
                    rowsRead++;
                    return it.next();
                }

                @Override
                public Bytes peekNextKey() {
                    return it.peekNextKey();
                }

                @Override
                public void close() {
                    it.close();
                }
            };
        }
    }
}
