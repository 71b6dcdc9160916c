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
