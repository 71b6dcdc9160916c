package io.statecast.consumer.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The default storage of an {@link EntryTable}: an open-addressing hash table that stores each entry as
 * ONE byte array ({@code int32 keyLength ‖ key ‖ value}, {@link PackedEntry}) plus an int hash: per entry, 20 bytes of array header and
 * length prefix (before 8-byte alignment) and 11 to 16 bytes of slot reference and hash (the table grows
 * by half when 75% full, so a growing table is 50% to 75% full), where a {@code HashMap<Bytes, byte[]>}
 * spends over 100. Linear probing with backward-shift deletion, so no tombstones accumulate.
 *
 * <p>Slots and hashes live in pages of 2^16 (256 KB each): one flat array per table would be a G1
 * "humongous" object as soon as it reaches half a region (1 MB with a 4 GB heap), and a humongous
 * object owns whole regions, so a 1 MB + 16 B array costs 2 MB. At 1M entries over 6 partitions
 * that waste was 12 B per entry.
 */
final class ArrayEntries implements EntryStorage {
    private final int pageBits;
    private final int pageMask;
    private byte[][][] slots;
    private int[][] hashes;
    private int capacity;
    private int size;
    private long storedBytes;

    ArrayEntries(int expected, int pageBits) {
        this.pageBits = pageBits;
        this.pageMask = (1 << pageBits) - 1;
        allocate(OpenAddressing.capacityFor(expected));
    }

    @Override
    public void ensureCapacity(int expected) {
        int wanted = OpenAddressing.capacityFor(expected);
        if (wanted > capacity) {
            resize(wanted);
        }
    }

    @Override
    public void trim() {
        int wanted = OpenAddressing.trimmed(size, capacity);
        if (wanted != capacity) {
            resize(wanted);
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long storedBytes() {
        return storedBytes;
    }

    @Override
    public long slabBytes() {
        return storedBytes;
    }

    @Override
    public byte[] get(byte[] key) {
        int i = find(key, PackedEntry.hash(key));
        return i < 0 ? null : PackedEntry.valueOf(slot(i));
    }

    @Override
    public boolean contains(byte[] key) {
        return find(key, PackedEntry.hash(key)) >= 0;
    }

    @Override
    public byte[] put(byte[] key, byte[] value) {
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

    // Keeps the array itself: the snapshot loader reads each entry straight into its final array.
    @Override
    public void putPacked(byte[] entry, int n) {
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

    @Override
    public byte[] remove(byte[] key) {
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

    // The table's own arrays, read only.
    @Override
    public void forEachPacked(Consumer<byte[]> action) {
        forEachIn(slots, action);
    }

    /**
     * The slot pages copied, not the entries: an entry's array is never written once stored (a put
     * stores a new one), so the copy keeps seeing the entries of now. About 8 bytes a slot.
     */
    @Override
    public PackedEntries freeze() {
        byte[][][] pages = new byte[slots.length][][];
        for (int p = 0; p < pages.length; p++) {
            pages[p] = slots[p].clone();
        }
        int n = size;
        return new PackedEntries() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void forEachPacked(Consumer<byte[]> action) {
                forEachIn(pages, action);
            }
        };
    }

    private static void forEachIn(byte[][][] pages, Consumer<byte[]> action) {
        for (byte[][] page : pages) {
            for (byte[] e : page) {
                if (e != null) {
                    action.accept(e);
                }
            }
        }
    }

    @Override
    public void clear() {
        for (byte[][] page : slots) {
            Arrays.fill(page, null);
        }
        size = 0;
        storedBytes = 0;
    }

    @Override
    public void recompress() {
        // nothing is compressed here
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
