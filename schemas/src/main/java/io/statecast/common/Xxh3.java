package io.statecast.common;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * XXH3-128 with a 64-bit seed ({@code XXH3_128bits_withSeed} of xxHash 0.8, Yann Collet, BSD-2), written
 * from the reference implementation: the same result on every platform, checked against the published
 * test vectors. Reads the input in place (a slice of any array), little-endian, allocation-free except
 * for inputs over 240 bytes hashed with a non-zero seed, whose derived secret goes to a per-thread buffer.
 */
final class Xxh3 {
    private static final long P32_1 = 0x9E3779B1L;
    private static final long P32_2 = 0x85EBCA77L;
    private static final long P32_3 = 0xC2B2AE3DL;
    private static final long P64_1 = 0x9E3779B185EBCA87L;
    private static final long P64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P64_3 = 0x165667B19E3779F9L;
    private static final long P64_4 = 0x85EBCA77C2B2AE63L;
    private static final long P64_5 = 0x27D4EB2F165667C5L;
    private static final long MX1 = 0x165667919E3779F9L;
    private static final long MX2 = 0x9FB21C651E98DF25L;
    private static final int SECRET_SIZE = 192;
    private static final int SECRET_SIZE_MIN = 136;
    private static final int STRIPE = 64;
    private static final int STRIPES_PER_BLOCK = (SECRET_SIZE - STRIPE) / 8;
    private static final int BLOCK = STRIPE * STRIPES_PER_BLOCK;

    /** The default secret, {@code XXH3_kSecret}. */
    private static final byte[] K_SECRET = HexFormat.of()
            .parseHex("b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
                    + "cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c"
                    + "3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8"
                    + "a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364"
                    + "eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e"
                    + "2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e");

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<byte[]> CUSTOM_SECRET = ThreadLocal.withInitial(() -> new byte[SECRET_SIZE]);

    private Xxh3() {}

    /** XXH3-128 of {@code in[off..off+len)} with {@code seed}: {@code out[0]} = low64, {@code out[1]} = high64. */
    static void hash128(byte[] in, int off, int len, long seed, long[] out) {
        if (len <= 16) {
            upTo16(in, off, len, seed, out);
        } else if (len <= 128) {
            upTo128(in, off, len, seed, out);
        } else if (len <= 240) {
            upTo240(in, off, len, seed, out);
        } else {
            hashLong(in, off, len, seed == 0 ? K_SECRET : customSecret(seed), out);
        }
    }

    private static void upTo16(byte[] in, int off, int len, long seed, long[] out) {
        if (len > 8) {
            len9to16(in, off, len, seed, out);
        } else if (len >= 4) {
            len4to8(in, off, len, seed, out);
        } else if (len > 0) {
            len1to3(in, off, len, seed, out);
        } else {
            out[0] = xxh64Avalanche(seed ^ (le64(K_SECRET, 64) ^ le64(K_SECRET, 72)));
            out[1] = xxh64Avalanche(seed ^ (le64(K_SECRET, 80) ^ le64(K_SECRET, 88)));
        }
    }

    private static void len1to3(byte[] in, int off, int len, long seed, long[] out) {
        int c1 = in[off] & 0xff;
        int c2 = in[off + (len >> 1)] & 0xff;
        int c3 = in[off + len - 1] & 0xff;
        int combinedL = (c1 << 16) | (c2 << 24) | c3 | (len << 8);
        int combinedH = Integer.rotateLeft(Integer.reverseBytes(combinedL), 13);
        long bitflipL = (le32(K_SECRET, 0) ^ le32(K_SECRET, 4)) + seed;
        long bitflipH = (le32(K_SECRET, 8) ^ le32(K_SECRET, 12)) - seed;
        out[0] = xxh64Avalanche((combinedL & 0xffffffffL) ^ bitflipL);
        out[1] = xxh64Avalanche((combinedH & 0xffffffffL) ^ bitflipH);
    }

    private static void len4to8(byte[] in, int off, int len, long seed, long[] out) {
        seed ^= (long) Integer.reverseBytes((int) seed) << 32;
        long input64 = le32(in, off) + (le32(in, off + len - 4) << 32);
        long keyed = input64 ^ ((le64(K_SECRET, 16) ^ le64(K_SECRET, 24)) + seed);
        long m = P64_1 + ((long) len << 2);
        long lo = keyed * m;
        long hi = multiplyHighUnsigned(keyed, m);
        hi += lo << 1;
        lo ^= hi >>> 3;
        lo = xorShift(lo, 35) * MX2;
        out[0] = xorShift(lo, 28);
        out[1] = avalanche(hi);
    }

    private static void len9to16(byte[] in, int off, int len, long seed, long[] out) {
        long bitflipL = (le64(K_SECRET, 32) ^ le64(K_SECRET, 40)) - seed;
        long bitflipH = (le64(K_SECRET, 48) ^ le64(K_SECRET, 56)) + seed;
        long inputLo = le64(in, off);
        long inputHi = le64(in, off + len - 8);
        long a = inputLo ^ inputHi ^ bitflipL;
        long lo = a * P64_1;
        long hi = multiplyHighUnsigned(a, P64_1);
        lo += (long) (len - 1) << 54;
        inputHi ^= bitflipH;
        hi += inputHi + (inputHi & 0xffffffffL) * (P32_2 - 1);
        lo ^= Long.reverseBytes(hi);
        long hLo = lo * P64_2;
        long hHi = multiplyHighUnsigned(lo, P64_2) + hi * P64_2;
        out[0] = avalanche(hLo);
        out[1] = avalanche(hHi);
    }

    private static void upTo128(byte[] in, int off, int len, long seed, long[] out) {
        long accLo = len * P64_1;
        long accHi = 0;
        for (int i = (len - 1) / 32; i >= 0; i--) {
            int in1 = off + 16 * i;
            int in2 = off + len - 16 * (i + 1);
            long mLo = mix16(in, in1, K_SECRET, 32 * i, seed);
            long mHi = mix16(in, in2, K_SECRET, 32 * i + 16, seed);
            accLo = (accLo + mLo) ^ (le64(in, in2) + le64(in, in2 + 8));
            accHi = (accHi + mHi) ^ (le64(in, in1) + le64(in, in1 + 8));
        }
        finish(accLo, accHi, len, seed, out);
    }

    private static void upTo240(byte[] in, int off, int len, long seed, long[] out) {
        long accLo = len * P64_1;
        long accHi = 0;
        for (int i = 32; i < 160; i += 32) {
            int in1 = off + i - 32;
            int in2 = off + i - 16;
            accLo = (accLo + mix16(in, in1, K_SECRET, i - 32, seed)) ^ (le64(in, in2) + le64(in, in2 + 8));
            accHi = (accHi + mix16(in, in2, K_SECRET, i - 16, seed)) ^ (le64(in, in1) + le64(in, in1 + 8));
        }
        accLo = avalanche(accLo);
        accHi = avalanche(accHi);
        for (int i = 160; i <= len; i += 32) {
            int in1 = off + i - 32;
            int in2 = off + i - 16;
            int s = 3 + i - 160; // XXH3_MIDSIZE_STARTOFFSET
            accLo = (accLo + mix16(in, in1, K_SECRET, s, seed)) ^ (le64(in, in2) + le64(in, in2 + 8));
            accHi = (accHi + mix16(in, in2, K_SECRET, s + 16, seed)) ^ (le64(in, in1) + le64(in, in1 + 8));
        }
        int in1 = off + len - 16;
        int in2 = off + len - 32;
        int s = SECRET_SIZE_MIN - 17 - 16; // XXH3_MIDSIZE_LASTOFFSET
        accLo = (accLo + mix16(in, in1, K_SECRET, s, -seed)) ^ (le64(in, in2) + le64(in, in2 + 8));
        accHi = (accHi + mix16(in, in2, K_SECRET, s + 16, -seed)) ^ (le64(in, in1) + le64(in, in1 + 8));
        finish(accLo, accHi, len, seed, out);
    }

    private static void finish(long accLo, long accHi, int len, long seed, long[] out) {
        long lo = accLo + accHi;
        long hi = accLo * P64_1 + accHi * P64_4 + (len - seed) * P64_2;
        out[0] = avalanche(lo);
        out[1] = -avalanche(hi);
    }

    private static long mix16(byte[] in, int at, byte[] secret, int s, long seed) {
        long lo = le64(in, at) ^ (le64(secret, s) + seed);
        long hi = le64(in, at + 8) ^ (le64(secret, s + 8) - seed);
        return mul128Fold64(lo, hi);
    }

    private static byte[] customSecret(long seed) {
        byte[] secret = CUSTOM_SECRET.get();
        for (int i = 0; i < SECRET_SIZE / 16; i++) {
            LONG.set(secret, 16 * i, le64(K_SECRET, 16 * i) + seed);
            LONG.set(secret, 16 * i + 8, le64(K_SECRET, 16 * i + 8) - seed);
        }
        return secret;
    }

    private static void hashLong(byte[] in, int off, int len, byte[] secret, long[] out) {
        long[] acc = {P32_3, P64_1, P64_2, P64_3, P64_4, P32_2, P64_5, P32_1};
        int blocks = (len - 1) / BLOCK;
        for (int n = 0; n < blocks; n++) {
            for (int st = 0; st < STRIPES_PER_BLOCK; st++) {
                accumulate(acc, in, off + n * BLOCK + st * STRIPE, secret, st * 8);
            }
            scramble(acc, secret, SECRET_SIZE - STRIPE);
        }
        int stripes = ((len - 1) - BLOCK * blocks) / STRIPE;
        for (int st = 0; st < stripes; st++) {
            accumulate(acc, in, off + blocks * BLOCK + st * STRIPE, secret, st * 8);
        }
        accumulate(acc, in, off + len - STRIPE, secret, SECRET_SIZE - STRIPE - 7); // XXH_SECRET_LASTACC_START
        out[0] = mergeAccs(acc, secret, 11, len * P64_1); // XXH_SECRET_MERGEACCS_START
        out[1] = mergeAccs(acc, secret, SECRET_SIZE - 64 - 11, ~(len * P64_2));
    }

    private static void accumulate(long[] acc, byte[] in, int at, byte[] secret, int s) {
        for (int i = 0; i < 8; i++) {
            long value = le64(in, at + 8 * i);
            long key = value ^ le64(secret, s + 8 * i);
            acc[i ^ 1] += value;
            acc[i] += (key & 0xffffffffL) * (key >>> 32);
        }
    }

    private static void scramble(long[] acc, byte[] secret, int s) {
        for (int i = 0; i < 8; i++) {
            acc[i] = (xorShift(acc[i], 47) ^ le64(secret, s + 8 * i)) * P32_1;
        }
    }

    private static long mergeAccs(long[] acc, byte[] secret, int s, long start) {
        long r = start;
        for (int i = 0; i < 4; i++) {
            r += mul128Fold64(acc[2 * i] ^ le64(secret, s + 16 * i), acc[2 * i + 1] ^ le64(secret, s + 16 * i + 8));
        }
        return avalanche(r);
    }

    private static long mul128Fold64(long a, long b) {
        return (a * b) ^ multiplyHighUnsigned(a, b);
    }

    // Math.unsignedMultiplyHigh arrives in Java 18: the signed high half, corrected for the sign bits.
    private static long multiplyHighUnsigned(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private static long avalanche(long h) {
        h = xorShift(h, 37) * MX1;
        return xorShift(h, 32);
    }

    private static long xxh64Avalanche(long h) {
        h = xorShift(h, 33) * P64_2;
        h = xorShift(h, 29) * P64_3;
        return xorShift(h, 32);
    }

    private static long xorShift(long v, int shift) {
        return v ^ (v >>> shift);
    }

    private static long le64(byte[] b, int at) {
        return (long) LONG.get(b, at);
    }

    private static long le32(byte[] b, int at) {
        return (int) INT.get(b, at) & 0xffffffffL;
    }
}
