package io.statecast.common;

/**
 * The incremental, order-independent digest of a set of (key bytes, value bytes) entries: the entry
 * count plus {@link #LANES} 64-bit lanes, each the sum mod 2^64 of one half of {@link EntryHash} over
 * the live entries. Adding an entry adds its hash, removing subtracts it, so the digest depends only on
 * the set, never on the order of the changes that built it. The materializer and every view keep one
 * per state partition; equal digests of one version mean equal partitions (up to a 2^-128 collision).
 * Its {@link #version()} is the {@link EntryHash} it adds: a digest of one version never compares with
 * another's.
 *
 * <p>Mutable and not thread-safe: one owner per partition.
 */
public final class Digest {
    /** The version a digest made with {@code new Digest()} computes: {@link EntryHash#LATEST}. */
    public static final int VERSION = EntryHash.LATEST;
    /** Number of 64-bit lanes. */
    public static final int LANES = 2;

    private final long[] scratch = new long[2];
    private EntryHash hash;
    private long count;
    private long lane0;
    private long lane1;

    /** An empty digest of the newest version, {@link #VERSION}. */
    public Digest() {
        this(EntryHash.forVersion(VERSION));
    }

    /** An empty digest adding the entry hash {@code hash}. */
    public Digest(EntryHash hash) {
        this.hash = hash;
    }

    /** A digest of {@code hash}'s version holding exactly this value (restored from a store or a snapshot). */
    public static Digest of(EntryHash hash, DigestValue value) {
        Digest d = new Digest(hash);
        d.set(value);
        return d;
    }

    /** The digest version: that of the entry hash it adds. */
    public int version() {
        return hash.version();
    }

    /** The entry hash this digest adds (callers that keep an entry's hash apart use the same one). */
    public EntryHash entryHash() {
        return hash;
    }

    /** Empties the digest and makes it add {@code newHash} from now on (a view meeting another version). */
    public void restart(EntryHash newHash) {
        hash = newHash;
        clear();
    }

    /** Adds the entry (key, value), as written to the state topic. */
    public void add(byte[] key, byte[] value) {
        hash.hash(key, value, scratch);
        addHash(scratch[0], scratch[1]);
    }

    /** Removes an entry that {@link #add} added earlier. */
    public void remove(byte[] key, byte[] value) {
        hash.hash(key, value, scratch);
        removeHash(scratch[0], scratch[1]);
    }

    /** Adds an entry whose key and value are slices of larger arrays (a packed table entry). */
    public void add(
            byte[] keyArray, int keyOffset, int keyLength, byte[] valueArray, int valueOffset, int valueLength) {
        hash.hash(keyArray, keyOffset, keyLength, valueArray, valueOffset, valueLength, scratch);
        addHash(scratch[0], scratch[1]);
    }

    /** Adds an entry known only by its hash of this digest's version (a view's filtered-out entry). */
    public void addHash(long h0, long h1) {
        count++;
        lane0 += h0;
        lane1 += h1;
    }

    /** Removes an entry known only by its hash. */
    public void removeHash(long h0, long h1) {
        count--;
        lane0 -= h0;
        lane1 -= h1;
    }

    /** Replaces {@code oldValue} of the key by {@code newValue}; {@code oldValue} null means a create. */
    public void replace(byte[] key, byte[] oldValue, byte[] newValue) {
        if (oldValue != null) {
            remove(key, oldValue);
        }
        add(key, newValue);
    }

    /** Sets this digest to {@code value} (a warm restart restores a saved digest). */
    public void set(DigestValue value) {
        count = value.count();
        lane0 = value.lane0();
        lane1 = value.lane1();
    }

    /** Empties the digest (its version stays). */
    public void clear() {
        count = 0;
        lane0 = 0;
        lane1 = 0;
    }

    /** Live entries added and not removed. */
    public long count() {
        return count;
    }

    /** Lane {@code i} (0 or 1): the sum mod 2^64 of the entries' h{@code i}. */
    public long lane(int i) {
        switch (i) {
            case 0:
                return lane0;
            case 1:
                return lane1;
            default:
                throw new IndexOutOfBoundsException("lane " + i + " of " + LANES);
        }
    }

    /** An immutable copy of the current value. */
    public DigestValue value() {
        return new DigestValue(count, lane0, lane1);
    }

    @Override
    public String toString() {
        return "v" + version() + " " + value();
    }
}
