package io.statecast.consumer.internal;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A hash table of (key bytes → value bytes), kept as compactly as the view allows: by default one array per
 * entry behind paged slots ({@link ArrayEntries}: 31 to 36 B per entry besides its key and value, where
 * a {@code HashMap<Bytes, byte[]>} spends over 100); with {@link StoredValues} that compress, packed into
 * shared slabs with the values compressed, and their keys if the compression takes them
 * ({@link SlabEntries}). Every value handed out is as it was stored (decompressed), so no reader sees
 * compressed bytes; values stored before the compressor was trained are compressed once, on the table's
 * next write or {@link #trim()}. Not thread-safe: the view guards it.
 */
public final class EntryTable implements PackedEntries {
    private static final int PAGE_BITS = 16;
    static final int DEFAULT_PAGE_BITS = PAGE_BITS;

    private final EntryStorage storage;

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
        this.storage = values.enabled()
                ? new SlabEntries(expected, pageBits, slabBits, values)
                : new ArrayEntries(expected, pageBits);
    }

    /** Bytes of the arrays holding a compressing table's entries (live, dead, unfilled); else {@link #storedBytes()}. */
    long slabBytes() {
        return storage.slabBytes();
    }

    /**
     * Grows the table, before a bulk load, to hold {@code expected} entries without resizing. Loading
     * entries in another table's slot order into a smaller table clusters them badly (each lands next
     * to the previous one); at the final size they land at their home slots.
     */
    public void ensureCapacity(int expected) {
        storage.ensureCapacity(expected);
    }

    /**
     * Shrinks a table that a bulk load left less than half full (it was presized for the records of a
     * log, and compaction had not yet removed every overwritten one) to be 75% full.
     */
    public void trim() {
        storage.trim();
    }

    /** Slots in the table (for tests and sizing). */
    public int capacity() {
        return storage.capacity();
    }

    @Override
    public int size() {
        return storage.size();
    }

    /**
     * Bytes held in entries: keys, values and their 4-byte prefixes; in a compressing table, the entries
     * as stored (varint lengths, keys, compressed values).
     */
    public long storedBytes() {
        return storage.storedBytes();
    }

    /** The value of {@code key}, copied out, or null. */
    public byte[] get(byte[] key) {
        return storage.get(key);
    }

    public boolean contains(byte[] key) {
        return storage.contains(key);
    }

    /** Stores the entry; returns the previous value or null. */
    public byte[] put(byte[] key, byte[] value) {
        return storage.put(key, value);
    }

    /**
     * Stores an entry already packed as this table packs them ({@code int32 keyLength ‖ key ‖ value}); the
     * default storage keeps the array itself, so the snapshot loader reads each entry into its final array.
     */
    public void putPacked(byte[] entry) {
        int n = PackedEntry.keyLength(entry);
        if (entry[0] < 0 || 4 + n > entry.length) {
            throw new IllegalArgumentException(
                    "not a packed entry: key length " + n + " in " + entry.length + " bytes");
        }
        storage.putPacked(entry, n);
    }

    /** Removes the key; returns its value or null. */
    public byte[] remove(byte[] key) {
        return storage.remove(key);
    }

    /** Every entry; the arrays passed are copies. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        storage.forEach(action);
    }

    /**
     * Every entry packed as {@link #putPacked} takes it ({@code int32 keyLength ‖ key ‖ value}, the value as
     * the caller stored it): the table's own arrays (read only), or copies from a compressing table.
     */
    @Override
    public void forEachPacked(Consumer<byte[]> action) {
        storage.forEachPacked(action);
    }

    /** The entries as they are now, readable on another thread while this table changes ({@link EntryStorage#freeze}). */
    PackedEntries freeze() {
        return storage.freeze();
    }

    public void clear() {
        storage.clear();
    }

    /**
     * Compresses the values stored as read before the view's compressor was trained (a no-op when there
     * are none): a table that was filled while the first values were gathered shrinks once.
     */
    public void recompress() {
        storage.recompress();
    }
}
