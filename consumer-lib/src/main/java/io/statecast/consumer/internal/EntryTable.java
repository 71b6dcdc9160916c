package io.statecast.consumer.internal;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An open-addressing hash table of (key bytes → value bytes) that stores each entry as ONE byte array
 * ({@code int32 keyLength ‖ key ‖ value}) plus an int hash: per entry, 20 bytes of array header and
 * length prefix (before 8-byte alignment) and 11 to 16 bytes of slot reference and hash (the table grows
 * by half when 75% full, so a growing table is 50% to 75% full), where a {@code HashMap<Bytes, byte[]>}
 * spends over 100. Linear probing with backward-shift deletion, so no tombstones accumulate. Not
 * thread-safe: the view guards it.
 *
 * <p>Slots and hashes live in pages of 2^16 (256 KB each): one flat array per table would be a G1
 * "humongous" object as soon as it reaches half a region (1 MB with a 4 GB heap), and a humongous
 * object owns whole regions, so a 1 MB + 16 B array costs 2 MB. At 1M entries over 6 partitions
 * that waste was 12 B per entry.
 *
 * <p>With {@link StoredValues} that compress, the entries live in {@link SlabEntries} instead (packed into
 * shared arrays, values compressed, with their keys if the compression takes them); every value handed
 * out is decompressed, so no reader sees compressed bytes. Values stored before the compressor was
 * trained are compressed once, on the table's next write or {@link #trim()}.
 */
public final class EntryTable {
    private static final int PAGE_BITS = 16;
    static final int DEFAULT_PAGE_BITS = PAGE_BITS;

    private final int pageBits;
    private final int pageMask;
    private byte[][][] slots;
    private int[][] hashes;
    private int capacity;
    private int size;
    private long storedBytes;
    /** Where a compressing table keeps its entries instead; null: in the slots below. */
    private final SlabEntries slab;

    public EntryTable() {
        this(16);
    }

    public EntryTable(int expected) {
        this(expected, PAGE_BITS);
    }

    /** A table whose slots are paged in pages of 2^pageBits; tests use small pages to cross page boundaries. */
    public EntryTable(int expected, int pageBits) {
        this(expected, pageBits, StoredValues.none());
    }

    /** A table whose values are stored as {@code values} keeps them. */
    EntryTable(int expected, int pageBits, StoredValues values) {
        this(expected, pageBits, values, SlabEntries.DEFAULT_SLAB_BITS);
    }

    /** A table whose compressed entries fill slabs of 2^slabBits bytes; tests use small slabs to cross their ends. */
    EntryTable(int expected, int pageBits, StoredValues values, int slabBits) {
        if (pageBits < 1 || pageBits > 24) {
            throw new IllegalArgumentException("pageBits must be in [1, 24]: " + pageBits);
        }
        this.pageBits = pageBits;
        this.pageMask = (1 << pageBits) - 1;
        this.slab = values.enabled() ? new SlabEntries(expected, pageBits, slabBits, values) : null;
        allocate(slab == null ? OpenAddressing.capacityFor(expected) : 0);
    }

    /** Bytes of the arrays holding a compressing table's entries (live, dead, unfilled); else {@link #storedBytes()}. */
    long slabBytes() {
        return slab != null ? slab.slabBytes() : storedBytes;
    }

    /**
     * Grows the table, before a bulk load, to hold {@code expected} entries without resizing. Loading
     * entries in another table's slot order into a smaller table clusters them badly (each lands next
     * to the previous one); at the final size they land at their home slots.
     */
    public void ensureCapacity(int expected) {
        if (slab != null) {
            slab.ensureCapacity(expected);
            return;
        }
        int wanted = OpenAddressing.capacityFor(expected);
        if (wanted > capacity) {
            resize(wanted);
        }
    }

    /**
     * Shrinks a table that a bulk load left less than half full (it was presized for the records of a
     * log, and compaction had not yet removed every overwritten one) to be 75% full.
     */
    public void trim() {
        if (slab != null) {
            slab.trim();
            return;
        }
        int wanted = OpenAddressing.trimmed(size, capacity);
        if (wanted != capacity) {
            resize(wanted);
        }
    }

    /** Slots in the table (for tests and sizing). */
    public int capacity() {
        return slab != null ? slab.capacity() : capacity;
    }

    public int size() {
        return slab != null ? slab.size() : size;
    }

    /**
     * Bytes held in entries: keys, values and their 4-byte prefixes; in a compressing table, the entries
     * as stored (varint lengths, keys, compressed values).
     */
    public long storedBytes() {
        return slab != null ? slab.storedBytes() : storedBytes;
    }

    /** The value of {@code key}, copied out, or null. */
    public byte[] get(byte[] key) {
        if (slab != null) {
            return slab.get(key);
        }
        int i = find(key, PackedEntry.hash(key));
        return i < 0 ? null : PackedEntry.valueOf(slot(i));
    }

    public boolean contains(byte[] key) {
        if (slab != null) {
            return slab.contains(key);
        }
        return find(key, PackedEntry.hash(key)) >= 0;
    }

    /** Stores the entry; returns the previous value or null. */
    public byte[] put(byte[] key, byte[] value) {
        if (slab != null) {
            return slab.put(key, value);
        }
        int h = PackedEntry.hash(key);
        int i = find(key, h);
        byte[] entry = PackedEntry.pack(key, value);
        if (i >= 0) {
            byte[] previous = slot(i);
            storedBytes += entry.length - previous.length;
            setSlot(i, entry);
            return PackedEntry.valueOf(previous);
        }
        add(entry, h);
        return null;
    }

    /**
     * Stores an entry already packed as this table packs them ({@code int32 keyLength ‖ key ‖ value}),
     * keeping the array itself: the snapshot loader reads each entry straight into its final array.
     */
    public void putPacked(byte[] entry) {
        int n = PackedEntry.keyLength(entry);
        if (entry[0] < 0 || 4 + n > entry.length) {
            throw new IllegalArgumentException(
                    "not a packed entry: key length " + n + " in " + entry.length + " bytes");
        }
        if (slab != null) {
            slab.putPacked(entry, n);
            return;
        }
        int h = PackedEntry.hashRange(entry, 4, 4 + n);
        for (int i = home(h); slot(i) != null; i = next(i)) {
            byte[] e = slot(i);
            if (hashAt(i) == h && PackedEntry.keyLength(e) == n && Arrays.equals(e, 4, 4 + n, entry, 4, 4 + n)) {
                storedBytes += entry.length - e.length;
                setSlot(i, entry);
                return;
            }
        }
        add(entry, h);
    }

    /** Removes the key; returns its value or null. */
    public byte[] remove(byte[] key) {
        if (slab != null) {
            return slab.remove(key);
        }
        int i = find(key, PackedEntry.hash(key));
        if (i < 0) {
            return null;
        }
        byte[] old = slot(i);
        storedBytes -= old.length;
        size--;
        shiftBack(i);
        return PackedEntry.valueOf(old);
    }

    /** Every entry; the arrays passed are copies. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        if (slab != null) {
            slab.forEach(action);
            return;
        }
        for (byte[][] page : slots) {
            for (byte[] e : page) {
                if (e != null) {
                    action.accept(PackedEntry.keyOf(e), PackedEntry.valueOf(e));
                }
            }
        }
    }

    /**
     * Every entry packed as {@link #putPacked} takes it ({@code int32 keyLength ‖ key ‖ value}, the value as
     * the caller stored it): the table's own arrays (read only), or copies from a compressing table.
     */
    public void forEachPacked(java.util.function.Consumer<byte[]> action) {
        if (slab != null) {
            slab.forEachPacked(action);
            return;
        }
        for (byte[][] page : slots) {
            for (byte[] e : page) {
                if (e != null) {
                    action.accept(e);
                }
            }
        }
    }

    public void clear() {
        if (slab != null) {
            slab.clear();
            return;
        }
        for (byte[][] page : slots) {
            Arrays.fill(page, null);
        }
        size = 0;
        storedBytes = 0;
    }

    /**
     * Compresses the values stored as read before the view's compressor was trained (a no-op when there
     * are none): a table that was filled while the first values were gathered shrinks once.
     */
    public void recompress() {
        if (slab != null) {
            slab.recompress();
        }
    }

    private byte[] slot(int i) {
        return slots[i >>> pageBits][i & pageMask];
    }

    private void setSlot(int i, byte[] e) {
        slots[i >>> pageBits][i & pageMask] = e;
    }

    private int hashAt(int i) {
        return hashes[i >>> pageBits][i & pageMask];
    }

    private int home(int h) {
        return OpenAddressing.home(h, capacity);
    }

    private int next(int i) {
        return OpenAddressing.next(i, capacity);
    }

    private void allocate(int cap) {
        int pageSize = 1 << pageBits;
        int full = cap >>> pageBits;
        int rest = cap & pageMask;
        slots = new byte[full + (rest > 0 ? 1 : 0)][][];
        hashes = new int[slots.length][];
        for (int p = 0; p < slots.length; p++) {
            int n = p < full ? pageSize : rest;
            slots[p] = new byte[n][];
            hashes[p] = new int[n];
        }
        capacity = cap;
    }

    private void add(byte[] entry, int h) {
        int wanted = OpenAddressing.forOneMore(size, capacity);
        if (wanted != capacity) {
            resize(wanted);
        }
        insert(entry, h);
        size++;
        storedBytes += entry.length;
    }

    private int find(byte[] key, int h) {
        for (int i = home(h); ; i = next(i)) {
            byte[] e = slot(i);
            if (e == null) {
                return -1;
            }
            if (hashAt(i) == h && PackedEntry.keyEquals(e, key)) {
                return i;
            }
        }
    }

    private void insert(byte[] entry, int h) {
        int i = home(h);
        while (slot(i) != null) {
            i = next(i);
        }
        setSlot(i, entry);
        hashes[i >>> pageBits][i & pageMask] = h;
    }

    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    private void shiftBack(int hole) {
        setSlot(hole, null);
        for (int i = next(hole); slot(i) != null; i = next(i)) {
            if (OpenAddressing.movable(home(hashAt(i)), hole, i)) {
                setSlot(hole, slot(i));
                hashes[hole >>> pageBits][hole & pageMask] = hashAt(i);
                setSlot(i, null);
                hole = i;
            }
        }
    }

    private void resize(int newCapacity) {
        byte[][][] oldSlots = slots;
        int[][] oldHashes = hashes;
        allocate(newCapacity);
        for (int p = 0; p < oldSlots.length; p++) {
            byte[][] page = oldSlots[p];
            int[] pageHashes = oldHashes[p];
            for (int j = 0; j < page.length; j++) {
                if (page[j] != null) {
                    insert(page[j], pageHashes[j]);
                }
            }
            oldSlots[p] = null; // the old pages can go while the new ones fill
        }
    }
}
