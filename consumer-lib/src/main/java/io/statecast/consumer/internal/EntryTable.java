package io.statecast.consumer.internal;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An open-addressing hash table of (key bytes → value bytes) that stores each entry as ONE byte array
 * ({@code int32 keyLength ‖ key ‖ value}) plus an int hash: about 28 bytes of overhead per entry
 * (array header, length prefix, slot reference and hash at a 0.75 load factor) where a
 * {@code HashMap<Bytes, byte[]>} spends over 100. Linear probing with backward-shift deletion, so no
 * tombstones accumulate. Not thread-safe: the view guards it.
 */
public final class EntryTable {
    private static final float LOAD = 0.75f;

    private byte[][] slots;
    private int[] hashes;
    private int size;
    private long storedBytes;

    public EntryTable() {
        this(16);
    }

    public EntryTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) (expected / LOAD) + 1) - 1) << 1;
        slots = new byte[cap][];
        hashes = new int[cap];
    }

    /**
     * Grows the table, before a bulk load, to hold {@code expected} entries without resizing. Loading
     * entries in another table's slot order into a smaller table clusters them badly (each lands next
     * to the previous one); at the final size they land at their home slots.
     */
    public void ensureCapacity(int expected) {
        while (expected > slots.length * LOAD) {
            resize();
        }
    }

    public int size() {
        return size;
    }

    /** Bytes held in entries (keys, values and their 4-byte prefixes). */
    public long storedBytes() {
        return storedBytes;
    }

    /** The value of {@code key}, copied out, or null. */
    public byte[] get(byte[] key) {
        int i = find(key, hash(key));
        return i < 0 ? null : valueOf(slots[i]);
    }

    public boolean contains(byte[] key) {
        return find(key, hash(key)) >= 0;
    }

    /** Stores the entry; returns the previous value or null. */
    public byte[] put(byte[] key, byte[] value) {
        int h = hash(key);
        int i = find(key, h);
        byte[] entry = pack(key, value);
        if (i >= 0) {
            byte[] old = valueOf(slots[i]);
            storedBytes += entry.length - slots[i].length;
            slots[i] = entry;
            return old;
        }
        if (size + 1 > slots.length * LOAD) {
            resize();
        }
        insert(entry, h);
        size++;
        storedBytes += entry.length;
        return null;
    }

    /**
     * Stores an entry already packed as this table packs them ({@code int32 keyLength ‖ key ‖ value}),
     * keeping the array itself: the snapshot loader reads each entry straight into its final array.
     */
    public void putPacked(byte[] entry) {
        int n = keyLength(entry);
        if (n < 0 || 4 + n > entry.length) {
            throw new IllegalArgumentException("not a packed entry: key length " + n + " in " + entry.length + " bytes");
        }
        int h = mix(hashRange(entry, 4, 4 + n));
        int mask = slots.length - 1;
        for (int i = h & mask; slots[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && keyLength(slots[i]) == n && Arrays.equals(slots[i], 4, 4 + n, entry, 4, 4 + n)) {
                storedBytes += entry.length - slots[i].length;
                slots[i] = entry;
                return;
            }
        }
        if (size + 1 > slots.length * LOAD) {
            resize();
        }
        insert(entry, h);
        size++;
        storedBytes += entry.length;
    }

    /** Removes the key; returns its value or null. */
    public byte[] remove(byte[] key) {
        int i = find(key, hash(key));
        if (i < 0) {
            return null;
        }
        byte[] old = valueOf(slots[i]);
        storedBytes -= slots[i].length;
        size--;
        shiftBack(i);
        return old;
    }

    /** Every entry; the arrays passed are copies. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        for (byte[] e : slots) {
            if (e != null) {
                action.accept(keyOf(e), valueOf(e));
            }
        }
    }

    /** Every entry as stored ({@code int32 keyLength ‖ key ‖ value}); the arrays are the table's: read only. */
    public void forEachPacked(java.util.function.Consumer<byte[]> action) {
        for (byte[] e : slots) {
            if (e != null) {
                action.accept(e);
            }
        }
    }

    public void clear() {
        Arrays.fill(slots, null);
        size = 0;
        storedBytes = 0;
    }

    private int find(byte[] key, int h) {
        int mask = slots.length - 1;
        for (int i = h & mask; slots[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && keyEquals(slots[i], key)) {
                return i;
            }
        }
        return -1;
    }

    private void insert(byte[] entry, int h) {
        int mask = slots.length - 1;
        int i = h & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = entry;
        hashes[i] = h;
    }

    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    private void shiftBack(int hole) {
        int mask = slots.length - 1;
        slots[hole] = null;
        for (int i = (hole + 1) & mask; slots[i] != null; i = (i + 1) & mask) {
            int home = hashes[i] & mask;
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                slots[hole] = slots[i];
                hashes[hole] = hashes[i];
                slots[i] = null;
                hole = i;
            }
        }
    }

    private void resize() {
        byte[][] oldSlots = slots;
        int[] oldHashes = hashes;
        slots = new byte[oldSlots.length * 2][];
        hashes = new int[oldSlots.length * 2];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != null) {
                insert(oldSlots[i], oldHashes[i]);
            }
        }
    }

    // Arrays.hashCode of keys that differ in their last characters (node-17, node-18…) are nearly
    // consecutive; murmur3's finalizer spreads them, so linear probing does not build long runs.
    static int hash(byte[] key) {
        return mix(Arrays.hashCode(key));
    }

    // Arrays.hashCode of a[from..to), without copying the range out.
    private static int hashRange(byte[] a, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + a[i];
        }
        return h;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private static byte[] pack(byte[] key, byte[] value) {
        byte[] e = new byte[4 + key.length + value.length];
        e[0] = (byte) (key.length >>> 24);
        e[1] = (byte) (key.length >>> 16);
        e[2] = (byte) (key.length >>> 8);
        e[3] = (byte) key.length;
        System.arraycopy(key, 0, e, 4, key.length);
        System.arraycopy(value, 0, e, 4 + key.length, value.length);
        return e;
    }

    private static int keyLength(byte[] e) {
        return ((e[0] & 0xff) << 24) | ((e[1] & 0xff) << 16) | ((e[2] & 0xff) << 8) | (e[3] & 0xff);
    }

    private static boolean keyEquals(byte[] e, byte[] key) {
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
