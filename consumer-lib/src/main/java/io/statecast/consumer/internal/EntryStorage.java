package io.statecast.consumer.internal;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * How an {@link EntryTable} keeps its entries: one array per entry ({@link ArrayEntries}, the default) or
 * packed into shared slabs with compressed values ({@link SlabEntries}). Each method is the table's of the
 * same name; {@code putPacked} is handed an entry the table has checked.
 */
interface EntryStorage extends PackedEntries {
    void ensureCapacity(int expected);

    void trim();

    int capacity();

    @Override
    int size();

    long storedBytes();

    /** Bytes of the arrays holding the entries: live, dead and unfilled. */
    long slabBytes();

    byte[] get(byte[] key);

    boolean contains(byte[] key);

    byte[] put(byte[] key, byte[] value);

    /** A checked entry packed as {@code int32 keyLength ‖ key ‖ value}, {@code keyLength} read from it. */
    void putPacked(byte[] entry, int keyLength);

    byte[] remove(byte[] key);

    /** Every entry as copies of its key and value. */
    default void forEach(BiConsumer<byte[], byte[]> action) {
        forEachPacked(p -> action.accept(PackedEntry.keyOf(p), PackedEntry.valueOf(p)));
    }

    /** Every entry packed as {@code putPacked} takes it: the storage's own arrays (read only) or copies. */
    @Override
    void forEachPacked(Consumer<byte[]> action);

    void clear();

    /**
     * The entries as they are now, read only, for a reader on another thread while this storage goes on
     * changing: copies of the slots, never of the entries' bytes, which are never written once stored.
     */
    PackedEntries freeze();

    /** Compresses what was stored before the compressor was trained; a no-op for storage that does not compress. */
    void recompress();
}
