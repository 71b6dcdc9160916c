package io.statecast.common;

/**
 * The hash of one (key bytes, value bytes) entry: two 64-bit halves h0 and h1, which feed the two lanes
 * of a {@link Digest}. The function is fixed per digest version, and each version is specified in
 * docs/protocol.md so that any client (an auditor's own code) can recompute a digest: {@link #V1}
 * MurmurHash3 x64 128 of a length-prefixed copy, {@link #V2} XXH3-128 of key and value in place, about
 * three times faster. A {@code Checksum} names its version; digests of two versions never compare.
 *
 * <p>Instances are stateless and thread-safe.
 */
public abstract class EntryHash {
    /** Digest version 1 (MurmurHash3 x64 128). */
    public static final EntryHash V1 = new EntryHashV1();
    /** Digest version 2 (XXH3-128). */
    public static final EntryHash V2 = new EntryHashV2();
    /** The newest version: what the materializer emits and a view computes unless configured otherwise. */
    public static final int LATEST = 2;

    EntryHash() {}

    /** Whether this library computes digest version {@code version}. */
    public static boolean supports(int version) {
        return version == 1 || version == 2;
    }

    /** The hash of digest version {@code version}; see {@link #supports}. */
    public static EntryHash forVersion(int version) {
        switch (version) {
            case 1:
                return V1;
            case 2:
                return V2;
            default:
                throw new IllegalArgumentException("digest version " + version + " is not one of 1, 2");
        }
    }

    /** The digest version this hash defines. */
    public abstract int version();

    /** The hash of (key, value) as a new two-element array {h0, h1}. */
    public final long[] of(byte[] key, byte[] value) {
        long[] out = new long[2];
        hash(key, value, out);
        return out;
    }

    /** Writes h0 and h1 of (key, value) into {@code out[0]} and {@code out[1]}. */
    public final void hash(byte[] key, byte[] value, long[] out) {
        hash(key, 0, key.length, value, 0, value.length, out);
    }

    /** The same hash, for a key and a value that are slices of larger arrays. */
    public abstract void hash(
            byte[] keyArray,
            int keyOffset,
            int keyLength,
            byte[] valueArray,
            int valueOffset,
            int valueLength,
            long[] out);

    @Override
    public String toString() {
        return "digest version " + version();
    }
}
