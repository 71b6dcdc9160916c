package io.statecast.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Xxh3Test {
    private static final long PRIME32 = 2654435761L;
    private static final long PRIME64 = 0x9E3779B185EBCA8DL; // 11400714785074694797, not XXH_PRIME64_1

    /** xxHash's sanity buffer (cli/xsum_sanity_check.c, XSUM_fillTestBuffer): byte i = top byte of PRIME32 * PRIME64^i. */
    static byte[] sanityBuffer(int len) {
        byte[] b = new byte[len];
        long gen = PRIME32;
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (gen >>> 56);
            gen *= PRIME64;
        }
        return b;
    }

    /** XSUM_XXH128_testdata of xxHash 0.8 (length, seed, low64, high64): every length class and block shape. */
    @ParameterizedTest(name = "len {0} seed {1}")
    @CsvSource({
        "0, 0, 6001C324468D497F, 99AA06D3014798D8",
        "0, 2654435761, 5444F7869C671AB0, 92220AE55E14AB50",
        "1, 0, C44BDFF4074EECDB, A6CD5E9392000F6A",
        "1, 2654435761, B53D5557E7F76F8D, 89B99554BA22467C",
        "6, 0, 3E7039BDDA43CFC6, 082AFE0B8162D12A",
        "6, 2654435761, 269D8F70BE98856E, 5A865B5389ABD2B1",
        "12, 0, 061A192713F69AD9, 6E3EFD8FC7802B18",
        "12, 2654435761, 9BE9F9A67F3C7DFB, D7E09D518A3405D3",
        "24, 0, 1E7044D28B1B901D, 0CE966E4678D3761",
        "24, 2654435761, D7304C54EBAD40A9, 3162026714A6A243",
        "48, 0, F942219AED80F67B, A002AC4E5478227E",
        "48, 2654435761, 7BA3C3E453A1934E, 163ADDE36C072295",
        "81, 0, 5E8BAFB9F95FB803, 4952F58181AB0042",
        "81, 2654435761, 703FBB3D7A5F755C, 2724EC7ADC750FB6",
        "222, 0, F1AEBD597CEC6B3A, 337E09641B948717",
        "222, 2654435761, AE995BB8AF917A8D, 91820016621E97F1",
        "403, 0, CDEB804D65C6DEA4, 1B6DE21E332DD73D",
        "403, -7046029288634856819, 6259F6ECFD6443FD, BED311971E0BE8F2",
        "512, 0, 617E49599013CB6B, 18D2D110DCC9BCA1",
        "512, -7046029288634856819, 3CE457DE14C27708, 925D06B8EC5B8040",
        "2048, 0, DD59E2C3A5F038E0, F736557FD47073A5",
        "2048, 2654435761, 230D43F30206260B, 7FB03F7E7186C3EA",
        "2240, 0, 6E73A90539CF2948, CCB134FBFA7CE49D",
        "2240, 2654435761, ED385111126FBA6F, 50A1FE17B338995F",
        "2367, 0, CB37AEB9E5D361ED, E89C0F6FF369B427",
        "2367, 2654435761, 6F5360AE69C2F406, D23AAE4B76C31ECB"
    })
    void matchesThePublishedTestVectors(int len, long seed, String low, String high) {
        long[] out = new long[2];
        Xxh3.hash128(sanityBuffer(len), 0, len, seed, out);
        assertEquals(Long.parseUnsignedLong(low, 16), out[0], "low64");
        assertEquals(Long.parseUnsignedLong(high, 16), out[1], "high64");
    }

    /**
     * Every length-class boundary of XXH3-128 (0, 1-3, 4-8, 9-16, 17-128, 129-240, over 240) with seed 0,
     * EntryHashV2's key seed and a 64-bit seed. Expected values computed independently with Python's
     * {@code xxhash} 4.0.1 (the xxHash C library): {@code xxhash.xxh3_128_intdigest(buf, seed=seed)} over
     * {@link #sanityBuffer}, low64 = digest mod 2^64, high64 = digest >> 64.
     */
    @ParameterizedTest(name = "len {0} seed {1}")
    @CsvSource({
        "0, 0, 6001C324468D497F, 99AA06D3014798D8",
        "0, 1554098974, 48FA8F96362C5C75, 4D1139CE2A0518D4",
        "0, -7046029288634856825, F9ECE1036ECBB2ED, 45EF6DDC7AFB225A",
        "1, 0, C44BDFF4074EECDB, A6CD5E9392000F6A",
        "1, 1554098974, BF78C1A6C578BA16, 30C88C2AE8D35925",
        "1, -7046029288634856825, 719AE0FC4EB5DB08, CDD5FBBA588C5DA7",
        "3, 0, 54247382A8D6B94D, 20EFC49FF02422EA",
        "3, 1554098974, 87E0275B51BD0CAE, 421AE57A0F0F401C",
        "3, -7046029288634856825, 79B178902E06F9EA, 1697BD07A8C6722E",
        "4, 0, 2E7D8D6876A39FE9, 970D585AC632BF8E",
        "4, 1554098974, 8B7E170D4ABB61DE, B7EE6CF3D3C95922",
        "4, -7046029288634856825, 7DF41E3E445A9AB8, 96B1C88DD7BFC566",
        "8, 0, 64C69CAB4BB21DC5, 47A7F080D82BB456",
        "8, 1554098974, 6707ED460CB6DC27, A68723EABD7E6DE5",
        "8, -7046029288634856825, 4FCAD18971620B87, 01F2E2E3C142CE1C",
        "9, 0, ED7CCBC501EB7501, 564EF6078950D457",
        "9, 1554098974, DFF757D5402383BD, C49E192C15F25599",
        "9, -7046029288634856825, F9337145EBFC08AE, 83552522C8B3B419",
        "16, 0, 562980258A998629, C68C368ECF8A9C05",
        "16, 1554098974, 8393979B689B8BAD, 565AB9CC22DBDAC3",
        "16, -7046029288634856825, B14E7F68EC5B9C59, 884043F419E87BB4",
        "17, 0, ABBC12D11973D7DB, 955FA78643ED3669",
        "17, 1554098974, 87E33ABBAF24A521, 0AB880032D20B72A",
        "17, -7046029288634856825, 84F8995019EF8173, 1BAF1F4BF5FAC5B6",
        "128, 0, EBB15E34A7FB5AB1, 39992220E045260A",
        "128, 1554098974, 88A230F8D25312B5, 8030F9487984AA42",
        "128, -7046029288634856825, CD19203BFB18B3C7, C9BBEFB24A8ECE01",
        "129, 0, 86C9E3BC8F0A3B5C, 03815FC91F1B30B6",
        "129, 1554098974, 9806C072D1AE693B, 880B5A0C05A7F374",
        "129, -7046029288634856825, C7EEBAF6CD6C03F6, ADF44EF2678D0FA5",
        "240, 0, 5C9AAE94C8EBE5A0, AA4202DAA2769DC8",
        "240, 1554098974, 808DF62877F44A25, 00DFD6E5B2192720",
        "240, -7046029288634856825, E8D8BFB47255B465, 59053582F632CB8C",
        "241, 0, C5A639ECD2030E5E, 99A80ECF0ECFC647",
        "241, 1554098974, 8D5DF44324D4EFF0, 55757F1B78DF2E5E",
        "241, -7046029288634856825, E6689B751E41F75A, 486D8F8F34A74034",
        "1000, 0, ACA2DDE0F1951B9A, 9B857ABF662E5A25",
        "1000, 1554098974, E368BAE09B6F0F43, C746CA02CB526C21",
        "1000, -7046029288634856825, 349F26F7FCE0E881, 5A96EC1DB7F2B51A"
    })
    void matchesTheCLibraryAtEveryLengthBoundary(int len, long seed, String low, String high) {
        matchesThePublishedTestVectors(len, seed, low, high);
    }

    /**
     * EntryHashV2 of (key = sanityBuffer(keyLength), value = sanityBuffer(valueLength) reversed), computed
     * with Python's {@code xxhash} 4.0.1 as docs/protocol.md specifies it: {@code k = xxh3_128(key, 0x5CA1AB1E)},
     * {@code v = xxh3_128(value, seed = low64(k))}, h0 = low64(v), h1 = high64(v) XOR high64(k).
     */
    @ParameterizedTest(name = "key {0} value {1}")
    @CsvSource({
        "64, 200, 0BA78EC6A7E20574, B909E7CB16813ED7",
        "0, 0, 2F54AAEB6C505BD3, 65BAE8792377F0DB",
        "16, 241, BAD1F2E5C7DF2A87, BF731C131A18A1E5",
        "129, 17, 55C79B59783FEA16, 5977135611B9DB95"
    })
    void entryHashV2MatchesTheCLibrary(int keyLength, int valueLength, String h0, String h1) {
        byte[] value = sanityBuffer(valueLength);
        byte[] reversed = new byte[valueLength];
        for (int i = 0; i < valueLength; i++) {
            reversed[i] = value[valueLength - 1 - i];
        }
        long[] out = EntryHash.V2.of(sanityBuffer(keyLength), reversed);
        assertEquals(Long.parseUnsignedLong(h0, 16), out[0], "h0");
        assertEquals(Long.parseUnsignedLong(h1, 16), out[1], "h1");
    }

    @Property(tries = 2000)
    void equalsAnIndependentImplementationForAnyLengthSeedAndOffset(
            @ForAll @Size(max = 2600) byte[] data, @ForAll long seed, @ForAll @IntRange(max = 7) int offset) {
        byte[] shifted = new byte[offset + data.length];
        System.arraycopy(data, 0, shifted, offset, data.length);
        long[] ours = new long[2];
        Xxh3.hash128(shifted, offset, data.length, seed, ours);
        HashValue128 theirs = Hashing.xxh3_128(seed).hashBytesTo128Bits(data);
        assertEquals(theirs.getLeastSignificantBits(), ours[0]);
        assertEquals(theirs.getMostSignificantBits(), ours[1]);
    }
}
