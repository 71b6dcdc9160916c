package io.statecast.common;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Digest version 1: MurmurHash3 x64 128-bit (seed {@link #SEED}) of the length-prefixed encoding
 * {@code int32BE(len(key)) ‖ key ‖ int32BE(len(value)) ‖ value}; the two 64-bit halves of the result
 * (read little-endian) are h0 and h1. The length prefixes make the encoding injective, so ("ab","c") and
 * ("a","bc") hash differently. Guava's {@code Hashing.murmur3_128(SEED)} over the same bytes computes it.
 * The encoding is copied into a per-thread buffer first: murmur3 reads 16-byte blocks across the boundary
 * of key and value.
 */
final class EntryHashV1 extends EntryHash {
    static final int SEED = 0x5CA1AB1E;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[][] {new byte[512]});

    @Override
    public int version() {
        return 1;
    }

    @Override
    public void hash(
            byte[] keyArray,
            int keyOffset,
            int keyLength,
            byte[] valueArray,
            int valueOffset,
            int valueLength,
            long[] out) {
        int len = 8 + keyLength + valueLength;
        byte[] buf = buffer(len);
        putIntBE(buf, 0, keyLength);
        System.arraycopy(keyArray, keyOffset, buf, 4, keyLength);
        putIntBE(buf, 4 + keyLength, valueLength);
        System.arraycopy(valueArray, valueOffset, buf, 8 + keyLength, valueLength);
        murmur3x64x128(buf, len, SEED, out);
    }

    private static byte[] buffer(int len) {
        byte[][] holder = BUFFER.get();
        if (holder[0].length < len) {
            holder[0] = new byte[Math.max(len, holder[0].length * 2)];
        }
        return holder[0];
    }

    private static void putIntBE(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** MurmurHash3_x64_128 of {@code data[0..len)}, as published by Austin Appleby (public domain). */
    static void murmur3x64x128(byte[] data, int len, int seed, long[] out) {
        long h1 = seed & 0xffffffffL;
        long h2 = h1;
        int blocks = len >>> 4;
        for (int i = 0; i < blocks; i++) {
            long k1 = (long) LONG_LE.get(data, i << 4);
            long k2 = (long) LONG_LE.get(data, (i << 4) + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks << 4;
        int rest = len & 15;
        if (rest > 8) {
            h2 ^= mixK2(littleEndian(data, tail + 8, rest - 8));
        }
        if (rest > 0) {
            h1 ^= mixK1(littleEndian(data, tail, Math.min(rest, 8)));
        }
        h1 ^= len;
        h2 ^= len;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        out[0] = h1;
        out[1] = h2;
    }

    private static long littleEndian(byte[] data, int from, int n) {
        long k = 0;
        for (int i = n - 1; i >= 0; i--) {
            k = (k << 8) | (data[from + i] & 0xffL);
        }
        return k;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
