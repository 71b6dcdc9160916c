package io.statecast.consumer.internal;

/**
 * The open-addressing slots of a {@link SlabEntries}: an int reference (0: empty) and an int hash per slot,
 * in pages of 2^pageBits (no flat array large enough to be a G1 humongous object), linear probing and
 * backward-shift deletion as {@link OpenAddressing} rules them.
 */
final class RefSlots {
    private final int pageBits;
    private final int pageMask;
    private int[][] refs;
    private int[][] hashes;
    private int capacity;

    RefSlots(int capacity, int pageBits) {
        this.pageBits = pageBits;
        this.pageMask = (1 << pageBits) - 1;
        allocate(capacity);
    }

    private RefSlots(RefSlots of) {
        this.pageBits = of.pageBits;
        this.pageMask = of.pageMask;
        this.capacity = of.capacity;
        this.refs = new int[of.refs.length][];
        this.hashes = new int[of.hashes.length][];
        for (int p = 0; p < refs.length; p++) {
            refs[p] = of.refs[p].clone();
            hashes[p] = of.hashes[p].clone();
        }
    }

    /** A copy of every slot (8 bytes each). */
    RefSlots copy() {
        return new RefSlots(this);
    }

    int capacity() {
        return capacity;
    }

    int ref(int i) {
        return refs[i >>> pageBits][i & pageMask];
    }

    void setRef(int i, int r) {
        refs[i >>> pageBits][i & pageMask] = r;
    }

    int hash(int i) {
        return hashes[i >>> pageBits][i & pageMask];
    }

    int home(int h) {
        return OpenAddressing.home(h, capacity);
    }

    int next(int i) {
        return OpenAddressing.next(i, capacity);
    }

    /** Puts the reference in the first empty slot from its hash's home. */
    void insert(int r, int h) {
        int i = home(h);
        while (ref(i) != 0) {
            i = next(i);
        }
        setRef(i, r);
        hashes[i >>> pageBits][i & pageMask] = h;
    }

    /** Empties slot {@code hole}, moving back the entries after it so that every probe chain stays unbroken. */
    void shiftBack(int hole) {
        setRef(hole, 0);
        for (int i = next(hole); ref(i) != 0; i = next(i)) {
            if (OpenAddressing.movable(home(hash(i)), hole, i)) {
                setRef(hole, ref(i));
                hashes[hole >>> pageBits][hole & pageMask] = hash(i);
                setRef(i, 0);
                hole = i;
            }
        }
    }

    void resize(int newCapacity) {
        int[][] oldRefs = refs;
        int[][] oldHashes = hashes;
        allocate(newCapacity);
        for (int p = 0; p < oldRefs.length; p++) {
            int[] page = oldRefs[p];
            int[] pageHashes = oldHashes[p];
            for (int j = 0; j < page.length; j++) {
                if (page[j] != 0) {
                    insert(page[j], pageHashes[j]);
                }
            }
            oldRefs[p] = null; // the old pages can go while the new ones fill
        }
    }

    void clear() {
        for (int[] page : refs) {
            java.util.Arrays.fill(page, 0);
        }
    }

    private void allocate(int cap) {
        int pageSize = 1 << pageBits;
        int full = cap >>> pageBits;
        int rest = cap & pageMask;
        refs = new int[full + (rest > 0 ? 1 : 0)][];
        hashes = new int[refs.length][];
        for (int p = 0; p < refs.length; p++) {
            int n = p < full ? pageSize : rest;
            refs[p] = new int[n];
            hashes[p] = new int[n];
        }
        capacity = cap;
    }
}
