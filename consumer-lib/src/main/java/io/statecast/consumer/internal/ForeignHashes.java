package io.statecast.consumer.internal;

import io.statecast.common.EntryHash;

/**
 * The entry hashes a partition's digest holds for keys whose stored bytes are not the bytes read:
 * entries the filter dropped, and transformed entries. A node agent keeps a few of a cluster's pods
 * and a hash for every other one, so this is most of its memory: instead of a
 * {@code HashMap<Bytes, long[]>} (about 130 bytes per key, the key included) it keeps, per key, a
 * 64-bit fingerprint of the key and the two hash halves in one open-addressing table of paged
 * {@code long} triples: 24 bytes a slot, 32 to 48 bytes a key. Not thread-safe: the view guards it.
 *
 * <p>Two keys of one partition with the same fingerprint (about n²/2^65 for n filtered keys: 3e-8
 * at a million) would share a slot: the digest would then disagree with the materializer's, which
 * the view reports as a mismatch and, once healing failed, raises as an alarm. It never makes a
 * wrong view look verified.
 */
final class ForeignHashes {
    private static final int PAGE_BITS = 13; // 8,192 slots of 3 longs: 192 KB, well under G1's humongous threshold
    private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;

    private static final byte[] EMPTY = new byte[0];

    private final long[] scratch = new long[2];
    private final long[] fpScratch = new long[2];
    private long[][] pages;
    private int capacity;
    private int size;

    ForeignHashes() {
        allocate(OpenAddressing.MIN_CAPACITY);
    }

    private ForeignHashes(ForeignHashes of) {
        pages = new long[of.pages.length][];
        for (int p = 0; p < pages.length; p++) {
            pages[p] = of.pages[p].clone();
        }
        capacity = of.capacity;
        size = of.size;
    }

    /** A copy of every slot (24 bytes each), for a snapshot written on another thread while this table changes. */
    ForeignHashes copy() {
        return new ForeignHashes(this);
    }

    /** The key's 64-bit fingerprint: the first half of the entry hash of (key, empty value); never 0 (an empty slot). */
    static long fingerprint(byte[] key) {
        return fingerprint(key, new long[2]);
    }

    private static long fingerprint(byte[] key, long[] out) {
        EntryHash.V1.hash(key, EMPTY, out); // version 1 for good: snapshots store fingerprints
        return out[0] == 0 ? 1 : out[0];
    }

    /** Grows the table to hold {@code expected} keys without resizing (a bootstrap sizes it for the log's records). */
    void ensureCapacity(int expected) {
        int wanted = OpenAddressing.capacityFor(expected);
        if (wanted > capacity) {
            resize(wanted);
        }
    }

    /** Shrinks a table left less than half full by a bulk load to be 75% full. */
    void trim() {
        int wanted = OpenAddressing.trimmed(size, capacity);
        if (wanted != capacity) {
            resize(wanted);
        }
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(byte[] key) {
        return find(fingerprint(key, fpScratch)) >= 0;
    }

    /**
     * Removes the key's hash; returns it in a two-element array the caller must consume at once (it is
     * reused), or null when the key had none.
     */
    long[] remove(byte[] key) {
        int i = find(fingerprint(key, fpScratch));
        if (i < 0) {
            return null;
        }
        scratch[0] = word(i, 1);
        scratch[1] = word(i, 2);
        size--;
        shiftBack(i);
        return scratch;
    }

    void put(byte[] key, long h0, long h1) {
        putFingerprint(fingerprint(key, fpScratch), h0, h1);
    }

    /** As {@link #put}, for a fingerprint read back from a snapshot. */
    void putFingerprint(long fp, long h0, long h1) {
        if (fp == 0) {
            throw new IllegalArgumentException("fingerprint 0 marks an empty slot");
        }
        int i = find(fp);
        if (i < 0) {
            int wanted = OpenAddressing.forOneMore(size, capacity);
            if (wanted != capacity) {
                resize(wanted);
            }
            i = home(fp);
            while (word(i, 0) != 0) {
                i = next(i);
            }
            size++;
        }
        set(i, fp, h0, h1);
    }

    interface Visitor {
        void visit(long fingerprint, long h0, long h1);
    }

    void forEach(Visitor v) {
        for (long[] page : pages) {
            for (int j = 0; j < page.length; j += 3) {
                if (page[j] != 0) {
                    v.visit(page[j], page[j + 1], page[j + 2]);
                }
            }
        }
    }

    void clear() {
        allocate(OpenAddressing.MIN_CAPACITY);
        size = 0;
    }

    private int find(long fp) {
        for (int i = home(fp); ; i = next(i)) {
            long w = word(i, 0);
            if (w == 0) {
                return -1;
            }
            if (w == fp) {
                return i;
            }
        }
    }

    // Backward-shift deletion, as in EntryTable: probe chains stay unbroken without tombstones.
    private void shiftBack(int hole) {
        set(hole, 0, 0, 0);
        for (int i = next(hole); word(i, 0) != 0; i = next(i)) {
            if (OpenAddressing.movable(home(word(i, 0)), hole, i)) {
                set(hole, word(i, 0), word(i, 1), word(i, 2));
                set(i, 0, 0, 0);
                hole = i;
            }
        }
    }

    private int home(long fp) {
        return OpenAddressing.home((int) (fp >>> 32), capacity);
    }

    private int next(int i) {
        return OpenAddressing.next(i, capacity);
    }

    private long word(int slot, int w) {
        return pages[slot >>> PAGE_BITS][(slot & PAGE_MASK) * 3 + w];
    }

    private void set(int slot, long fp, long h0, long h1) {
        long[] page = pages[slot >>> PAGE_BITS];
        int at = (slot & PAGE_MASK) * 3;
        page[at] = fp;
        page[at + 1] = h0;
        page[at + 2] = h1;
    }

    private void allocate(int cap) {
        int full = cap >>> PAGE_BITS;
        int rest = cap & PAGE_MASK;
        pages = new long[full + (rest > 0 ? 1 : 0)][];
        for (int p = 0; p < pages.length; p++) {
            pages[p] = new long[3 * (p < full ? 1 << PAGE_BITS : rest)];
        }
        capacity = cap;
    }

    private void resize(int newCapacity) {
        long[][] old = pages;
        allocate(newCapacity);
        for (long[] page : old) {
            for (int j = 0; j < page.length; j += 3) {
                if (page[j] != 0) {
                    int i = home(page[j]);
                    while (word(i, 0) != 0) {
                        i = next(i);
                    }
                    set(i, page[j], page[j + 1], page[j + 2]);
                }
            }
        }
    }
}
