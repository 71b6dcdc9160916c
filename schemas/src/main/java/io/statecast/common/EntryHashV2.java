package io.statecast.common;

/**
 * Digest version 2: two XXH3-128 hashes ({@code XXH3_128bits_withSeed}), key first, then the value seeded
 * by the key's hash: {@code (kLo, kHi) = XXH3_128(key, SEED)}, {@code (vLo, vHi) = XXH3_128(value, kLo)},
 * h0 = vLo, h1 = vHi XOR kHi. Key and value are hashed where they lie (no copy into one buffer), each
 * hash mixes its input's length, and the seed binds the value to its key: (k1, v) and (k2, v) differ
 * unless both halves of the key hashes collide. Any xxHash 0.8 library computes it (docs/protocol.md).
 */
final class EntryHashV2 extends EntryHash {
    /** The seed of the key's hash. */
    static final long SEED = 0x5CA1AB1EL;

    @Override
    public int version() {
        return 2;
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
        Xxh3.hash128(keyArray, keyOffset, keyLength, SEED, out);
        long keyHigh = out[1];
        Xxh3.hash128(valueArray, valueOffset, valueLength, out[0], out);
        out[1] ^= keyHigh;
    }
}
