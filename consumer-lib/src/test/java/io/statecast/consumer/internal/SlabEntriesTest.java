package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.consumer.spi.StoredValueException;
import io.statecast.consumer.spi.ValueCompression;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The slab storage of compressing tables: a map under any mix of writes, and bounded under churn. */
class SlabEntriesTest {

    @Property(tries = 300)
    void behavesLikeAHashMapAcrossSlabAndPageEnds(
            @ForAll List<@IntRange(min = 0, max = 10_000) Integer> ops,
            @ForAll @IntRange(min = 1, max = 30) int trainingValues,
            @ForAll @IntRange(min = 1, max = 6) int pageBits,
            @ForAll @IntRange(min = 4, max = 10) int slabBits,
            @ForAll boolean withKeys,
            @ForAll long seed) {
        EntryTable table = table(trainingValues, pageBits, slabBits, withKeys);
        Map<String, String> model = new HashMap<>();
        Random r = new Random(seed);
        for (int op : ops) {
            String key = "ns-" + (op % 7) + "/pod-" + (op % 61);
            switch (op % 5) {
                case 0 -> assertEquals(model.remove(key), str(table.remove(b(key))));
                case 1 -> assertEquals(model.get(key), str(table.get(b(key))));
                case 2 -> assertEquals(model.containsKey(key), table.contains(b(key)));
                default -> {
                    // sizes from empty to several slabs: entries on their own arrays too
                    String value = value(key, r.nextInt(4) == 0 ? r.nextInt(3000) : r.nextInt(80), r);
                    assertEquals(model.put(key, value), str(table.put(b(key), b(value))));
                }
            }
            assertEquals(model.size(), table.size());
            assertBounded(table, slabBits);
        }
        assertEquals(model, contents(table));
        table.trim();
        Map<String, String> packed = new HashMap<>();
        table.forEachPacked(e -> packed.put(str(PackedEntry.keyOf(e)), str(PackedEntry.valueOf(e))));
        assertEquals(model, packed);
        model.forEach((k, v) -> assertEquals(v, str(table.get(b(k)))));
        assertNull(table.get(b("ns-0/absent")));
        assertFalse(table.contains(b("ns-0/absent")));
    }

    @Test
    void aLongChurnKeepsTheSlabsWithinAFewTimesTheLiveBytes() {
        EntryTable table = table(20, 4, 10, true);
        Map<String, String> model = new HashMap<>();
        Random r = new Random(7);
        long most = 0;
        for (int step = 0; step < 120_000; step++) {
            String key = "team-" + r.nextInt(9) + "/app-" + r.nextInt(2_000);
            if (r.nextInt(10) == 0) {
                assertEquals(model.remove(key), str(table.remove(b(key))));
            } else {
                String value = value(key, r.nextInt(200), r);
                assertEquals(model.put(key, value), str(table.put(b(key), b(value))));
            }
            most = Math.max(most, table.slabBytes());
            if (step % 1000 == 0) {
                assertBounded(table, 10);
            }
        }
        assertEquals(model, contents(table));
        // 120,000 writes of about 100 stored bytes: without reclaiming, the slabs would hold ~12 MB
        assertTrue(
                most < 2 * table.storedBytes() + (64 << 10),
                most + " slab bytes at most, " + table.storedBytes() + " stored at the end");
    }

    @Test
    void aTrimmedTableHoldsNoUnfilledSlab() {
        EntryTable table = table(20, 16, 17, true);
        Map<String, String> model = new HashMap<>();
        Random r = new Random(5);
        for (int i = 0; i < 4_000; i++) {
            String key = "team-" + (i % 40) + "/app-" + i;
            model.put(key, value(key, 60, r));
            table.put(b(key), b(model.get(key)));
        }
        long before = table.slabBytes() - table.storedBytes();
        table.trim();
        long after = table.slabBytes() - table.storedBytes();
        assertTrue(
                before > 8 << 10 && after < 1 << 10, before + " empty or dead bytes before trim, " + after + " after");
        String key = "team-0/app-new";
        table.put(b(key), b(value(key, 60, r)));
        model.put(key, str(table.get(b(key))));
        assertEquals(model, contents(table));
    }

    @Test
    void aKeyCompressedWithItsValueCostsLessThanTheKeyStoredBesideIt() {
        EntryTable beside = table(50, 16, 17, false);
        EntryTable with = table(50, 16, 17, true);
        Random r = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            String key =
                    "team-" + (i % 40) + "/app-" + (i % 400) + "-" + Long.toString(r.nextLong() & 0xffffffffffL, 36);
            String value = value(key, 40, r);
            beside.put(b(key), b(value));
            with.put(b(key), b(value));
        }
        assertEquals(contents(beside), contents(with));
        assertTrue(
                with.storedBytes() < beside.storedBytes() - 2_000 * 8,
                with.storedBytes() + " against " + beside.storedBytes());
    }

    @Property(tries = 2)
    void aCompressedEntryTheCompressorRejectsIsATypedErrorNamingTheKeyAsked(@ForAll boolean withKeys) {
        EntryTable table = new EntryTable(16, 16, StoredValues.of(garbling(withKeys)), 10);
        table.put(b("sample"), b(value("sample", 30, new Random(1))));
        table.put(b("web-1"), b(value("web-1", 30, new Random(2))));
        StoredValueException e = assertThrows(StoredValueException.class, () -> table.get(b("web-1")));
        assertEquals("web-1", e.key());
        StoredValueException all = assertThrows(StoredValueException.class, () -> table.forEach((k, v) -> {}));
        // Packing an entry for a snapshot names its key (whichever damaged entry comes first), unless the key
        // is inside the bytes that failed.
        if (withKeys) {
            assertEquals("(stored compressed with its value)", all.key());
        } else {
            assertTrue(Set.of("sample", "web-1").contains(all.key()), all.key());
        }
        assertNull(table.get(b("web-2")), "a key of another hash is not decompressed");
    }

    // Deflate whose compressed bytes are damaged after they are made, so that reading them back fails.
    private static ValueCompression garbling(boolean withKeys) {
        return new ValueCompression() {
            @Override
            public int trainingValues() {
                return 1;
            }

            @Override
            public boolean takesKeys() {
                return withKeys;
            }

            @Override
            public Compressor train(List<byte[]> samples) {
                Compressor real = new DeflateCompression(1).train(samples);
                return new Compressor() {
                    @Override
                    public byte[] compress(byte[] value) {
                        byte[] c = real.compress(value);
                        c[4] ^= 0x33;
                        c[c.length - 1] ^= 0x5a;
                        return c;
                    }

                    @Override
                    public byte[] decompress(byte[] stored, int from, int length) {
                        return real.decompress(stored, from, length);
                    }
                };
            }
        };
    }

    // The slabs hold the live bytes, a quarter more of dead ones, the slack, and the slab being filled.
    private static void assertBounded(EntryTable table, int slabBits) {
        long stored = table.storedBytes();
        long bound = stored + stored / 4 + new Slabs(slabBits).slack(stored) + (1 << slabBits);
        assertTrue(table.slabBytes() <= bound, table.slabBytes() + " slab bytes for " + stored + " stored");
    }

    private static EntryTable table(int trainingValues, int pageBits, int slabBits, boolean withKeys) {
        ValueCompression c = withKeys ? new KeyedDeflate(trainingValues) : new DeflateCompression(trainingValues);
        return new EntryTable(16, pageBits, StoredValues.of(c), slabBits);
    }

    /** Deflate over key ‖ value. */
    private record KeyedDeflate(int trainingValues) implements ValueCompression {
        @Override
        public boolean takesKeys() {
            return true;
        }

        @Override
        public Compressor train(List<byte[]> samples) {
            return new DeflateCompression(trainingValues).train(samples);
        }
    }

    private static Map<String, String> contents(EntryTable t) {
        Map<String, String> out = new HashMap<>();
        t.forEach((k, v) -> assertNull(out.put(str(k), str(v)), "one entry per key"));
        assertEquals(t.size(), out.size());
        return out;
    }

    // A value that repeats its key among shared and random bytes, as a record of one schema does.
    private static String value(String key, int extra, Random r) {
        StringBuilder s = new StringBuilder("{\"name\":\"").append(key).append("\",\"phase\":\"Running\",\"x\":\"");
        for (int i = 0; i < extra; i++) {
            s.append((char) ('a' + r.nextInt(i % 3 == 0 ? 26 : 2)));
        }
        return s.append("\"}").toString();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
