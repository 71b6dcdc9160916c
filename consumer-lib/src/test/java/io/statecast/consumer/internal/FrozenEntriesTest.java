package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrozenEntriesTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> contents(PackedEntries entries) {
        Map<String, String> m = new HashMap<>();
        entries.forEachPacked(e -> m.put(
                new String(PackedEntry.keyOf(e), StandardCharsets.UTF_8),
                new String(PackedEntry.valueOf(e), StandardCharsets.UTF_8)));
        return m;
    }

    @Test
    void aFrozenTableKeepsItsEntriesWhileTheTableIsOverwrittenRemovedGrownAndCleared() {
        Random r = new Random(11);
        EntryTable table = new EntryTable(16, 3); // pages of 8 slots: the copy crosses many
        Map<String, String> now = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String k = "k" + r.nextInt(2_000);
            String v = "v" + i;
            table.put(bytes(k), bytes(v));
            now.put(k, v);
        }
        PackedEntries frozen = table.freeze();
        Map<String, String> then = Map.copyOf(now);
        for (int i = 0; i < 6_000; i++) { // overwrites, removals, and growth past the frozen capacity
            String k = "k" + r.nextInt(6_000);
            if (r.nextInt(3) == 0) {
                table.remove(bytes(k));
                now.remove(k);
            } else {
                table.put(bytes(k), bytes("w" + i));
                now.put(k, "w" + i);
            }
        }
        table.trim();
        assertEquals(then.size(), frozen.size());
        assertEquals(then, contents(frozen));
        assertEquals(now, contents(table));
        table.clear();
        assertEquals(then, contents(frozen));
    }

    @Test
    void aFrozenCompressingTableKeepsItsEntriesWhileItsSlabsAreReclaimedAndRecompressed() {
        Random r = new Random(12);
        // Small slabs and pages, compression trained after 50 values: the frozen picture holds raw entries,
        // and the writes after it recompress them, fill new slabs, free and reclaim old ones.
        EntryTable table = new EntryTable(16, 3, StoredValues.of(new DeflateCompression(50)), 10);
        Map<String, String> now = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            table.put(bytes("k" + i), bytes("value of k" + i + " " + "x".repeat(i)));
            now.put("k" + i, "value of k" + i + " " + "x".repeat(i));
        }
        PackedEntries frozen = table.freeze();
        Map<String, String> then = Map.copyOf(now);
        for (int i = 0; i < 5_000; i++) {
            String k = "k" + r.nextInt(300);
            if (r.nextInt(4) == 0) {
                table.remove(bytes(k));
                now.remove(k);
            } else {
                String v = "value " + i + " " + "y".repeat(r.nextInt(200));
                table.put(bytes(k), bytes(v));
                now.put(k, v);
            }
        }
        table.trim();
        assertEquals(then.size(), frozen.size());
        assertEquals(then, contents(frozen));
        assertEquals(now, contents(table));
        PackedEntries later = table.freeze(); // frozen after training: compressed entries, read back whole
        table.clear();
        assertEquals(now, contents(later));
        assertEquals(then, contents(frozen));
    }

    @Test
    void aCopyOfForeignHashesKeepsItsSlotsWhileTheOriginalChanges() {
        ForeignHashes live = new ForeignHashes();
        for (int i = 0; i < 500; i++) {
            live.put(bytes("f" + i), i, -i);
        }
        ForeignHashes copy = live.copy();
        for (int i = 0; i < 500; i += 2) {
            live.remove(bytes("f" + i));
        }
        for (int i = 500; i < 5_000; i++) {
            live.put(bytes("f" + i), i, -i);
        }
        assertEquals(500, copy.size());
        Map<Long, Long> seen = new HashMap<>();
        copy.forEach((fp, h0, h1) -> seen.put(h0, h1));
        for (long i = 0; i < 500; i++) {
            assertEquals(-i, seen.get(i));
            assertEquals(true, copy.contains(bytes("f" + i)));
        }
        assertEquals(false, copy.contains(bytes("f" + 600)));
    }
}
