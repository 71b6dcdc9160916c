package io.statecast.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DigestTest {

    @Property(tries = 300)
    void entryHashIsMurmur3x64x128OfTheLengthPrefixedEncoding(
            @ForAll @Size(max = 300) byte[] key, @ForAll @Size(max = 600) byte[] value) {
        ByteBuffer encoded = ByteBuffer.allocate(8 + key.length + value.length);
        encoded.putInt(key.length).put(key).putInt(value.length).put(value);
        byte[] guava =
                Hashing.murmur3_128(EntryHashV1.SEED).hashBytes(encoded.array()).asBytes();
        ByteBuffer halves = ByteBuffer.wrap(guava).order(ByteOrder.LITTLE_ENDIAN);
        long[] ours = EntryHash.V1.of(key, value);
        assertEquals(halves.getLong(0), ours[0]);
        assertEquals(halves.getLong(8), ours[1]);
    }

    @Property(tries = 300)
    void entryHashV2IsXxh3OfTheValueSeededByXxh3OfTheKey(
            @ForAll @Size(max = 300) byte[] key, @ForAll @Size(max = 600) byte[] value) {
        HashValue128 k =
                com.dynatrace.hash4j.hashing.Hashing.xxh3_128(EntryHashV2.SEED).hashBytesTo128Bits(key);
        HashValue128 v = com.dynatrace.hash4j.hashing.Hashing.xxh3_128(k.getLeastSignificantBits())
                .hashBytesTo128Bits(value);
        long[] ours = EntryHash.V2.of(key, value);
        assertEquals(v.getLeastSignificantBits(), ours[0]);
        assertEquals(v.getMostSignificantBits() ^ k.getMostSignificantBits(), ours[1]);
    }

    @Property(tries = 300)
    void theSliceHashEqualsTheHashOfTheCopiedSlices(
            @ForAll("versions") EntryHash hash,
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
        hash.hash(packed, before.length, key.length, packed, before.length + key.length, value.length, slice);
        assertEquals(List.of(hash.of(key, value)[0], hash.of(key, value)[1]), List.of(slice[0], slice[1]));
        Digest d = new Digest(hash);
        d.add(packed, before.length, key.length, packed, before.length + key.length, value.length);
        assertEquals(new DigestValue(1, slice[0], slice[1]), d.value());
    }

    @Provide
    Arbitrary<EntryHash> versions() {
        return Arbitraries.of(EntryHash.V1, EntryHash.V2);
    }

    /** The table of docs/protocol.md ("Digest version 2"): entries and digests any client must reproduce. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "'', '', 2f54aaeb6c505bd3, 65bae8792377f0db",
        "k, v, 51a6770a2b705d0c, 1f15506962488d5e",
        "default/web-1, node=node-7;phase=Running, 5f99c48a31962351, 481a2ac6a049a8ea",
        "k*64, v*300, 5c797f147891d9a2, 90d852173cc1c69d",
    })
    void digestVersion2TestVectors(String key, String value, String h0, String h1) {
        long[] h = EntryHash.V2.of(b(expand(key)), b(expand(value)));
        assertEquals(List.of(h0, h1), List.of(String.format("%016x", h[0]), String.format("%016x", h[1])));
    }

    /** The table's last line: the digest of its entries, in any order. */
    @Test
    void digestVersion2OfTheTestVectorsEntries() {
        Digest d = new Digest(EntryHash.V2);
        d.add(b(expand("k*64")), b(expand("v*300")));
        d.add(b("default/web-1"), b("node=node-7;phase=Running"));
        d.add(b("k"), b("v"));
        d.add(b(""), b(""));
        assertEquals(
                "Digest[count=4, lanes=3d0e659441e8b5d2:5dc2b5c062cbedc0]",
                d.value().toString());
    }

    // "c*n": the character c n times (the table's long entries)
    private static String expand(String s) {
        int star = s.indexOf('*');
        return star < 0 ? s : s.substring(0, star).repeat(Integer.parseInt(s.substring(star + 1)));
    }

    @Test
    void versionsOtherThanOneAndTwoAreNotSupported() {
        assertEquals(
                List.of(false, true, true, false),
                List.of(0, 1, 2, 3).stream().map(EntryHash::supports).toList());
        assertEquals(2, EntryHash.forVersion(2).version());
        assertThrows(IllegalArgumentException.class, () -> EntryHash.forVersion(3));
        assertEquals(Digest.VERSION, new Digest().version());
    }

    @Test
    void aRestartedDigestIsEmptyAndAddsTheNewVersion() {
        Digest d = new Digest(EntryHash.V1);
        d.add(b("k"), b("v"));
        d.restart(EntryHash.V2);
        assertEquals(DigestValue.EMPTY, d.value());
        d.add(b("k"), b("v"));
        assertEquals(
                new DigestValue(
                        1, EntryHash.V2.of(b("k"), b("v"))[0], EntryHash.V2.of(b("k"), b("v"))[1]),
                d.value());
    }

    @Property(tries = 100)
    void theDigestDependsOnTheSetNotTheOrder(
            @ForAll("versions") EntryHash hash, @ForAll List<@Size(max = 40) byte[]> values, @ForAll long seed) {
        List<byte[][]> entries = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            entries.add(new byte[][] {b("key" + i), values.get(i)});
        }
        List<byte[][]> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(digestOf(hash, entries), digestOf(hash, shuffled));
    }

    @Property(tries = 100)
    void removingWhatWasAddedRestoresTheDigest(
            @ForAll("versions") EntryHash hash,
            @ForAll List<@Size(max = 40) byte[]> base,
            @ForAll @Size(max = 40) byte[] extra) {
        Digest d = new Digest(hash);
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
    void keyValueBoundariesStayApart() {
        for (EntryHash h : List.of(EntryHash.V1, EntryHash.V2)) {
            assertNotEquals(h.of(b("ab"), b("c"))[0], h.of(b("a"), b("bc"))[0], h.toString());
        }
    }

    @Test
    void inVersion2AValueIsBoundToItsKey() {
        // the same value under two keys, and swapped values: different entry hashes, different digests
        assertNotEquals(EntryHash.V2.of(b("k1"), b("v"))[1], EntryHash.V2.of(b("k2"), b("v"))[1]);
        Digest a = new Digest(EntryHash.V2);
        a.add(b("k1"), b("v1"));
        a.add(b("k2"), b("v2"));
        Digest swapped = new Digest(EntryHash.V2);
        swapped.add(b("k1"), b("v2"));
        swapped.add(b("k2"), b("v1"));
        assertNotEquals(a.value(), swapped.value());
    }

    @Test
    void aValueMatchesOnlyItsOwnCountAndLanes() {
        DigestValue v = new DigestValue(2, 5, 7);
        assertEquals(true, v.matches(2, List.of(5L, 7L)));
        assertEquals(false, v.matches(3, List.of(5L, 7L)));
        assertEquals(false, v.matches(2, List.of(5L, 8L)));
        assertEquals(false, v.matches(2, List.of(5L)));
    }

    private static DigestValue digestOf(EntryHash hash, List<byte[][]> entries) {
        Digest d = new Digest(hash);
        entries.forEach(e -> d.add(e[0], e[1]));
        return d.value();
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
