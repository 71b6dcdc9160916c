package io.statecast.common;

/**
 * The incremental, order-independent digest of a set of (key bytes, value bytes) entries: the entry
 * count plus {@link #LANES} 64-bit lanes, each the sum mod 2^64 of one half of {@link EntryHash} over
 * the live entries. Adding an entry adds its hash, removing subtracts it, so the digest depends only on
 * the set, never on the order of the changes that built it. The materializer and every view keep one
 * per state partition; equal digests mean equal partitions (up to a 2^-128 collision).
 *
 * <p>Mutable and not thread-safe: one owner per partition.
 */
public final class Digest {
    /** Version of the hash function and encoding; a {@code Checksum} with another version is not comparable. */
    public static final int VERSION = EntryHash.VERSION;
    /** Number of 64-bit lanes. */
    public static final int LANES = 2;

    private long count;
    private long lane0;
    private long lane1;

    public Digest() {}

    private Digest(long count, long lane0, long lane1) {
        this.count = count;
        this.lane0 = lane0;
        this.lane1 = lane1;
    }

    /** A digest holding exactly this value (for restoring from a store or a snapshot). */
    public static Digest of(DigestValue value) {
        return new Digest(value.count(), value.lane0(), value.lane1());
    }

    /** Adds the entry (key, value), as written to the state topic. */
    public void add(byte[] key, byte[] value) {
        long[] h = EntryHash.scratch();
        EntryHash.hash(key, value, h);
        addHash(h[0], h[1]);
    }

    /** Removes an entry that {@link #add} added earlier. */
    public void remove(byte[] key, byte[] value) {
        long[] h = EntryHash.scratch();
        EntryHash.hash(key, value, h);
        removeHash(h[0], h[1]);
    }

    /** Adds an entry known only by its {@link EntryHash} (a view's filtered-out entry). */
    public void addHash(long h0, long h1) {
        count++;
        lane0 += h0;
        lane1 += h1;
    }

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

    public void clear() {
        count = 0;
        lane0 = 0;
        lane1 = 0;
    }

    public long count() {
        return count;
    }

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
        return value().toString();
    }
}
