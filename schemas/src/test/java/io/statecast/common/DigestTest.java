package io.statecast.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DigestTest {

    @Property(tries = 300)
    void entryHashIsMurmur3x64x128OfTheLengthPrefixedEncoding(
            @ForAll @Size(max = 300) byte[] key, @ForAll @Size(max = 600) byte[] value) {
        ByteBuffer encoded = ByteBuffer.allocate(8 + key.length + value.length);
        encoded.putInt(key.length).put(key).putInt(value.length).put(value);
        byte[] guava =
                Hashing.murmur3_128(EntryHash.SEED).hashBytes(encoded.array()).asBytes();
        ByteBuffer halves = ByteBuffer.wrap(guava).order(ByteOrder.LITTLE_ENDIAN);
        long[] ours = EntryHash.of(key, value);
        assertEquals(halves.getLong(0), ours[0]);
        assertEquals(halves.getLong(8), ours[1]);
    }

    @Property(tries = 300)
    void theSliceHashEqualsTheHashOfTheCopiedSlices(
            @ForAll @Size(max = 300) byte[] key,
            @ForAll @Size(max = 600) byte[] value,
            @ForAll @Size(max = 20) byte[] before,
            @ForAll @Size(max = 20) byte[] after) {
        // key and value inside one larger array, as a packed table entry holds them
        byte[] packed = ByteBuffer.allocate(before.length + key.length + value.length + after.length)
                .put(before)
                .put(key)
                .put(value)
                .put(after)
                .array();
        long[] slice = new long[2];
        EntryHash.hash(packed, before.length, key.length, packed, before.length + key.length, value.length, slice);
        assertEquals(List.of(EntryHash.of(key, value)[0], EntryHash.of(key, value)[1]), List.of(slice[0], slice[1]));
    }

    @Property(tries = 100)
    void theDigestDependsOnTheSetNotTheOrder(@ForAll List<@Size(max = 40) byte[]> values, @ForAll long seed) {
        List<byte[][]> entries = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            entries.add(new byte[][] {b("key" + i), values.get(i)});
        }
        List<byte[][]> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(digestOf(entries), digestOf(shuffled));
    }

    @Property(tries = 100)
    void removingWhatWasAddedRestoresTheDigest(
            @ForAll List<@Size(max = 40) byte[]> base, @ForAll @Size(max = 40) byte[] extra) {
        Digest d = new Digest();
        base.forEach(v -> d.add(new byte[] {1}, v));
        DigestValue before = d.value();
        d.add(new byte[] {2, 3}, extra);
        d.remove(new byte[] {2, 3}, extra);
        assertEquals(before, d.value());
    }

    @Test
    void replacingAValueEqualsBuildingTheNewSetFromScratch() {
        Digest incremental = new Digest();
        incremental.add(b("k1"), b("a"));
        incremental.add(b("k2"), b("b"));
        incremental.replace(b("k1"), b("a"), b("c"));
        Digest scratch = new Digest();
        scratch.add(b("k2"), b("b"));
        scratch.add(b("k1"), b("c"));
        assertEquals(scratch.value(), incremental.value());
        assertEquals(2, incremental.count());
    }

    @Test
    void lengthPrefixesKeepKeyValueBoundariesApart() {
        assertNotEquals(EntryHash.of(b("ab"), b("c"))[0], EntryHash.of(b("a"), b("bc"))[0]);
    }

    @Test
    void aValueMatchesOnlyItsOwnCountAndLanes() {
        DigestValue v = new DigestValue(2, 5, 7);
        assertEquals(true, v.matches(2, List.of(5L, 7L)));
        assertEquals(false, v.matches(3, List.of(5L, 7L)));
        assertEquals(false, v.matches(2, List.of(5L, 8L)));
        assertEquals(false, v.matches(2, List.of(5L)));
    }

    private static DigestValue digestOf(List<byte[][]> entries) {
        Digest d = new Digest();
        entries.forEach(e -> d.add(e[0], e[1]));
        return d.value();
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
