package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.EntryHash;
import io.statecast.common.StatecastException;
import io.statecast.consumer.spi.StoredValueException;
import io.statecast.consumer.spi.ValueCompression;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CompressedEntryTableTest {

    @Property(tries = 200)
    void everyReaderSeesTheValuesAsStoredBeforeAndAfterTraining(
            @ForAll List<@IntRange(min = 0, max = 300) Integer> ops,
            @ForAll @IntRange(min = 1, max = 40) int trainingValues,
            @ForAll @IntRange(min = 1, max = 16) int pageBits) {
        EntryTable table = table(trainingValues, pageBits);
        Map<String, String> model = new HashMap<>();
        int step = 0;
        for (int op : ops) {
            String key = "k" + (op % 97);
            if (op % 3 == 0) {
                assertEquals(model.remove(key), str(table.remove(b(key))));
            } else {
                String value = pod(key, step++);
                assertEquals(model.put(key, value), str(table.put(b(key), b(value))));
            }
        }
        table.trim();
        assertEquals(model, contents(table));
        Map<String, String> packed = new HashMap<>();
        table.forEachPacked(e -> packed.put(str(PackedEntry.keyOf(e)), str(PackedEntry.valueOf(e))));
        assertEquals(model, packed);
        model.forEach((k, v) -> assertEquals(v, str(table.get(b(k)))));
    }

    @Test
    void valuesGatheredBeforeTrainingAreCompressedOnceAndTheTableShrinks() {
        EntryTable compressed = table(50, 16);
        EntryTable plain = new EntryTable();
        for (int i = 0; i < 49; i++) {
            compressed.put(b("k" + i), b(pod("k" + i, i)));
            plain.put(b("k" + i), b(pod("k" + i, i)));
        }
        // as read, behind two one-byte varint lengths instead of a 4-byte key length
        assertEquals(plain.storedBytes() - 49 * 2, compressed.storedBytes(), "gathering: stored as read");
        for (int i = 49; i < 400; i++) {
            compressed.put(b("k" + i), b(pod("k" + i, i)));
            plain.put(b("k" + i), b(pod("k" + i, i)));
        }
        assertTrue(
                compressed.storedBytes() * 2 < plain.storedBytes(),
                compressed.storedBytes() + " bytes compressed against " + plain.storedBytes());
        assertEquals(contents(plain), contents(compressed));
    }

    @Test
    void aSnapshotsPackedEntriesLoadIntoACompressingTable() {
        EntryTable source = table(10, 16);
        for (int i = 0; i < 200; i++) {
            source.put(b("k" + i), b(pod("k" + i, i)));
        }
        EntryTable loaded = table(10, 16);
        source.forEachPacked(loaded::putPacked);
        loaded.recompress();
        assertEquals(contents(source), contents(loaded));
        assertTrue(loaded.storedBytes() < source.storedBytes() + 10 * 200, "loaded tables compress too");
    }

    @Test
    void theDigestSummedAgainFromCompressedEntriesIsTheDigestOfTheBytesAsRead() {
        PartitionTable compressed =
                new PartitionTable(16, EntryHash.forVersion(1), StoredValues.of(new DeflateCompression(5)));
        PartitionTable plain = new PartitionTable(16, EntryHash.forVersion(1));
        for (int i = 0; i < 100; i++) {
            compressed.entries.put(b("k" + i), b(pod("k" + i, i)));
            plain.entries.put(b("k" + i), b(pod("k" + i, i)));
        }
        assertTrue(compressed.switchDigest(EntryHash.forVersion(2), 0, 0));
        assertTrue(plain.switchDigest(EntryHash.forVersion(2), 0, 0));
        assertEquals(plain.digest.value(), compressed.digest.value());
    }

    @Test
    void storedBytesTheCompressorRejectsAreATypedErrorNamingTheKey() {
        EntryTable table = new EntryTable(16, 16, StoredValues.of(new Garbling()));
        table.put(b("sample"), b(pod("sample", 0))); // trains
        table.put(b("web-1"), b(pod("web-1", 1)));
        StoredValueException e = assertThrows(StoredValueException.class, () -> table.get(b("web-1")));
        assertEquals("web-1", e.key());
        assertThrows(StoredValueException.class, () -> table.remove(b("web-1")));
    }

    @Test
    void aCompressionThatCannotTrainOrCompressKeepsValuesAsRead() {
        ValueCompression untrainable = new ValueCompression() {
            @Override
            public int trainingValues() {
                return 3;
            }

            @Override
            public Compressor train(List<byte[]> samples) {
                throw new StatecastException("no dictionary from " + samples.size());
            }
        };
        EntryTable table = new EntryTable(16, 16, StoredValues.of(untrainable));
        StoredValues failing = StoredValues.of(new Garbling(true));
        EntryTable other = new EntryTable(16, 16, failing);
        for (int i = 0; i < 20; i++) {
            table.put(b("k" + i), b(pod("k" + i, i)));
            other.put(b("k" + i), b(pod("k" + i, i)));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(pod("k" + i, i), str(table.get(b("k" + i))));
            assertEquals(pod("k" + i, i), str(other.get(b("k" + i))));
        }
        assertEquals(20, failing.failedCompressions()); // the sample that trained it is compressed at once too
        assertNull(table.get(b("absent")));
    }

    // A compressor whose stored bytes cannot be read back (or, failing, that cannot compress at all).
    private record Garbling(boolean failing) implements ValueCompression {
        Garbling() {
            this(false);
        }

        @Override
        public int trainingValues() {
            return 1;
        }

        @Override
        public Compressor train(List<byte[]> samples) {
            Compressor real = new DeflateCompression(1).train(samples);
            return new Compressor() {
                @Override
                public byte[] compress(byte[] value) {
                    if (failing) {
                        throw new StatecastException("cannot");
                    }
                    byte[] c = real.compress(value);
                    c[c.length - 1] ^= 0x5a;
                    c[4] ^= 0x33;
                    return c;
                }

                @Override
                public byte[] decompress(byte[] stored, int from, int length) {
                    return real.decompress(stored, from, length);
                }
            };
        }
    }

    private static EntryTable table(int trainingValues, int pageBits) {
        return new EntryTable(16, pageBits, StoredValues.of(new DeflateCompression(trainingValues)));
    }

    private static Map<String, String> contents(EntryTable t) {
        Map<String, String> out = new HashMap<>();
        List<String> seen = new ArrayList<>();
        t.forEach((k, v) -> {
            seen.add(str(k));
            out.put(str(k), str(v));
        });
        assertEquals(seen.size(), out.size());
        return out;
    }

    // Values alike in most bytes, as a schema's records are.
    private static String pod(String key, int version) {
        return "{\"namespace\":\"default\",\"name\":\"" + key + "\",\"node\":\"node-" + (version % 7)
                + "\",\"phase\":\"Running\",\"labels\":{\"app\":\"web\",\"tier\":\"frontend\"},\"v\":" + version + "}";
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
