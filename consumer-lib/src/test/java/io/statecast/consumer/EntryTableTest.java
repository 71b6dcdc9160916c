package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.consumer.internal.EntryTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EntryTableTest {

    @Property(tries = 200)
    void findsKeysOfEveryLengthAgainAndForgetsRemovedOnes(
            @ForAll List<@Size(max = 40) byte[]> keys, @ForAll @IntRange(min = 1, max = 16) int pageBits) {
        // keys of 0 to 40 bytes: the table hash reads eight bytes at a time, then a tail of 0 to 7
        EntryTable table = new EntryTable(16, pageBits);
        Map<ByteBuffer, byte[]> model = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] value = {(byte) i};
            table.put(keys.get(i), value);
            model.put(ByteBuffer.wrap(keys.get(i)), value);
        }
        for (int i = 0; i < keys.size(); i += 2) {
            assertArrayEquals(model.remove(ByteBuffer.wrap(keys.get(i))), table.remove(keys.get(i)));
        }
        assertEquals(model.size(), table.size());
        for (byte[] key : keys) {
            byte[] expected = model.get(ByteBuffer.wrap(key));
            if (expected == null) {
                assertNull(table.get(key));
            } else {
                assertArrayEquals(expected, table.get(key.clone()));
            }
        }
    }

    @Property(tries = 200)
    void behavesLikeAHashMapUnderRandomPutsAndRemoves(
            @ForAll List<@IntRange(min = 0, max = 300) Integer> ops,
            @ForAll @IntRange(min = 1, max = 16) int pageBits) {
        EntryTable table = new EntryTable(16, pageBits); // small pages: probe chains and shifts cross page boundaries
        Map<String, String> model = new HashMap<>();
        int step = 0;
        for (int op : ops) {
            String key = "k" + (op % 97);
            if (op % 3 == 0) {
                assertEquals(model.remove(key), str(table.remove(b(key))));
            } else {
                String value = "v" + step++;
                assertEquals(model.put(key, value), str(table.put(b(key), b(value))));
            }
            assertEquals(model.size(), table.size());
        }
        Map<String, String> seen = new HashMap<>();
        table.forEach((k, v) -> seen.put(str(k), str(v)));
        assertEquals(model, seen);
        model.forEach((k, v) -> assertArrayEquals(b(v), table.get(b(k))));
    }

    @Property(tries = 100)
    void packedEntriesCopiedIntoAPresizedTableAreTheSameEntries(
            @ForAll List<@IntRange(min = 0, max = 5000) Integer> keys,
            @ForAll @IntRange(min = 1, max = 16) int pageBits) {
        EntryTable source = new EntryTable(16, pageBits);
        for (int k : keys) {
            source.put(b("key-" + k), b("value-" + k * 7));
        }
        EntryTable copy = new EntryTable(16, 17 - pageBits);
        copy.ensureCapacity(source.size());
        source.forEachPacked(e -> copy.putPacked(e.clone())); // in the source's slot order, as a snapshot holds them
        assertEquals(source.size(), copy.size());
        assertEquals(source.storedBytes(), copy.storedBytes());
        source.forEach((k, v) -> assertArrayEquals(v, copy.get(k)));
        copy.putPacked(packed("key-1", "replaced")); // a key already there is replaced, not added
        assertEquals(keys.contains(1) ? source.size() : source.size() + 1, copy.size());
        assertArrayEquals(b("replaced"), copy.get(b("key-1")));
    }

    private static byte[] packed(String key, String value) {
        byte[] k = b(key);
        byte[] v = b(value);
        return java.nio.ByteBuffer.allocate(4 + k.length + v.length)
                .putInt(k.length)
                .put(k)
                .put(v)
                .array();
    }

    @Property(tries = 50)
    void aTablePresizedForMoreRecordsThanKeysIsTrimmedToThreeQuartersFull(
            @ForAll @IntRange(min = 0, max = 3000) int keys,
            @ForAll @IntRange(min = 1, max = 20) int recordsPerKey,
            @ForAll @IntRange(min = 1, max = 16) int pageBits) {
        EntryTable t = new EntryTable(16, pageBits);
        t.ensureCapacity(keys * recordsPerKey); // as a bootstrap presizes for every record of a dirty log
        for (int r = 0; r < recordsPerKey; r++) {
            for (int k = 0; k < keys; k++) {
                t.put(b("key-" + k), b("value-" + r));
            }
        }
        t.trim();
        assertEquals(keys, t.size());
        assertTrue(t.capacity() <= Math.max(16, keys / 0.5), "capacity " + t.capacity() + " for " + keys + " keys");
        assertTrue(keys < t.capacity(), "capacity " + t.capacity() + " for " + keys + " keys");
        for (int k = 0; k < keys; k++) {
            assertArrayEquals(b("value-" + (recordsPerKey - 1)), t.get(b("key-" + k)));
        }
        t.put(b("one-more"), b("x")); // and it grows again from there
        assertEquals(keys + 1, t.size());
    }

    @Test
    void rejectsPageSizesItCannotIndex() {
        assertThrows(IllegalArgumentException.class, () -> new EntryTable(16, 0));
        assertThrows(IllegalArgumentException.class, () -> new EntryTable(16, 25));
    }

    @Test
    void tracksStoredBytesAndClears() {
        EntryTable t = new EntryTable();
        t.put(b("ab"), b("cde"));
        assertEquals(4 + 2 + 3, t.storedBytes());
        t.put(b("ab"), b("c"));
        assertEquals(4 + 2 + 1, t.storedBytes());
        t.clear();
        assertEquals(0, t.size());
        assertNull(t.get(b("ab")));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
