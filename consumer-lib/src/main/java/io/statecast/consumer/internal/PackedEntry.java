package io.statecast.consumer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A table entry packed in one array, {@code int32 keyLength ‖ key ‖ value} (how {@link EntryTable} stores
 * entries, how snapshots hold them and what {@code forEachPacked} hands out), and the 32-bit key hash that
 * both {@link EntryTable} and {@link SlabEntries} probe with.
 */
final class PackedEntry {
    private static final long M = 0x9E3779B97F4A7C15L; // 2^64 / golden ratio, odd
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private PackedEntry() {}

    // A key's 32-bit table hash, read eight bytes at a time: Arrays.hashCode's one multiply-add per byte was
    // 8.6% of a bootstrap's poll thread in the bench profile (64-byte keys). In memory only: a snapshot
    // stores packed entries, whose hashes are computed again on load.
    static int hash(byte[] key) {
        return hashRange(key, 0, key.length);
    }

    static int hashRange(byte[] a, int from, int to) {
        long h = (to - from) * M;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ (long) LONG_LE.get(a, i)) * M;
            h ^= h >>> 32;
        }
        long tail = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            tail |= (a[i] & 0xffL) << shift;
        }
        h = (h ^ tail) * M;
        return fmix(h);
    }

    // murmur3's 64-bit finalizer folded to 32 bits: keys that differ in their last characters (node-17,
    // node-18…) get unrelated homes, so linear probing does not build long runs.
    private static int fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    static byte[] pack(byte[] key, byte[] value) {
        return pack(key, 0, key.length, value, 0, value.length);
    }

    /** {@code key[kFrom, kFrom+k)} and {@code value[vFrom, vFrom+v)} packed; the two may be one array. */
    static byte[] pack(byte[] key, int kFrom, int k, byte[] value, int vFrom, int v) {
        byte[] e = new byte[4 + k + v];
        e[0] = (byte) (k >>> 24);
        e[1] = (byte) (k >>> 16);
        e[2] = (byte) (k >>> 8);
        e[3] = (byte) k;
        System.arraycopy(key, kFrom, e, 4, k);
        System.arraycopy(value, vFrom, e, 4 + k, v);
        return e;
    }

    static int keyLength(byte[] e) {
        return ((e[0] & 0x7f) << 24) | ((e[1] & 0xff) << 16) | ((e[2] & 0xff) << 8) | (e[3] & 0xff);
    }

    static boolean keyEquals(byte[] e, byte[] key) {
        int n = keyLength(e);
        return n == key.length && Arrays.equals(e, 4, 4 + n, key, 0, n);
    }

    static int keyLengthOf(byte[] packed) {
        return keyLength(packed);
    }

    static byte[] keyOf(byte[] e) {
        return Arrays.copyOfRange(e, 4, 4 + keyLength(e));
    }

    static byte[] valueOf(byte[] e) {
        return Arrays.copyOfRange(e, 4 + keyLength(e), e.length);
    }
}
