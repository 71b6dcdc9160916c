package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The storage of an {@link EntryTable} whose values are compressed: entries packed one after another in
 * shared byte arrays ("slabs", 128 KB at most, far below G1's humongous size) behind varint lengths,
 * found through an open-addressing table of int references and int hashes. Against one array per entry
 * this saves the array's 16-byte header, its padding and the 4-byte key length (about 22 B an entry), the
 * part of the view's overhead that did not shrink with its values.
 *
 * <p>An entry is {@code varint(keyLength << 2 | kind) ‖ varint(n) ‖ body}, where kind is {@link #RAW}
 * (body: key ‖ value as read, n the value's length), {@link #VALUE} (key ‖ compressed value, n the
 * latter's length) or {@link #BOTH} (n bytes of key ‖ value compressed together, when the compression
 * takes keys: a key repeated inside its value, as a pod's name is, then costs a few bytes).
 * Looking up a {@link #BOTH} entry whose hash matches decompresses it to compare keys; a get decompresses
 * it once anyway.
 *
 * <p>An overwritten or removed entry leaves dead bytes in its slab. A slab with no live byte left is
 * freed at once; when the dead bytes pass a quarter of the live ones plus a slack (two slabs, or a
 * sixteenth of the live bytes if more), the live entries of every slab under 80% live move to the slab
 * being filled and those slabs are freed. The slabs of a large table with churn so stay within about
 * 1.3x its live bytes, and the slot scan of each reclaim is paid for by that many dead bytes at least.
 */
final class SlabEntries implements EntryStorage {
    static final int RAW = 0;
    static final int VALUE = 1;
    static final int BOTH = 2;
    static final int DEFAULT_SLAB_BITS = 17;

    private final int slabBits;
    private Slabs slabs;
    private final StoredValues values;
    /** The slots: a {@link Slabs} reference (0: empty) and a hash each. */
    private final RefSlots slots;

    private int size;
    private long storedBytes;
    private boolean holdsUntrained;

    SlabEntries(int expected, int pageBits, int slabBits, StoredValues values) {
        this.slabBits = slabBits;
        this.slabs = new Slabs(slabBits);
        this.values = values;
        this.slots = new RefSlots(OpenAddressing.capacityFor(expected), pageBits);
    }

    private SlabEntries(SlabEntries of) {
        this.slabBits = of.slabBits;
        this.slabs = of.slabs.frozen();
        this.values = of.values;
        this.slots = of.slots.copy();
        this.size = of.size;
        this.storedBytes = of.storedBytes;
    }

    /** A read-only copy: the slabs' bytes shared ({@link Slabs#frozen}), the slots copied (8 B each). */
    @Override
    public PackedEntries freeze() {
        return new SlabEntries(this);
    }

    @Override
    public void ensureCapacity(int expected) {
        int wanted = OpenAddressing.capacityFor(expected);
        if (wanted > slots.capacity()) {
            slots.resize(wanted);
        }
    }

    /**
     * After a bootstrap: also moves the entries of sparse slabs (any dead bytes past a slab's worth) and
     * cuts the slab being filled to its fill, so a table that will mostly be read holds no slab's worth
     * of empty bytes (an unfilled 128 KB slab per partition was 2 B per demo pod).
     */
    @Override
    public void trim() {
        recompress();
        int wanted = OpenAddressing.trimmed(size, slots.capacity());
        if (wanted != slots.capacity()) {
            slots.resize(wanted);
        }
        if (slabs.allocated() - storedBytes > slabs.slabSize()) {
            move(slabs.sparse());
        }
        slabs.cutCurrent();
    }

    @Override
    public int capacity() {
        return slots.capacity();
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
        return slabs.allocated();
    }

    @Override
    public byte[] get(byte[] key) {
        int h = PackedEntry.hash(key);
        for (int i = slots.home(h); ; i = slots.next(i)) {
            int r = slots.ref(i);
            if (r == 0) {
                return null;
            }
            if (slots.hash(i) == h) {
                byte[] v = valueIfKey(r, key);
                if (v != null) {
                    return v;
                }
            }
        }
    }

    @Override
    public boolean contains(byte[] key) {
        return find(key, PackedEntry.hash(key)) >= 0;
    }

    @Override
    public byte[] put(byte[] key, byte[] value) {
        int h = PackedEntry.hash(key);
        for (int i = slots.home(h); ; i = slots.next(i)) {
            int r = slots.ref(i);
            if (r == 0) {
                break;
            }
            if (slots.hash(i) == h) {
                byte[] old = valueIfKey(r, key);
                if (old != null) {
                    int nr = store(key, 0, key.length, value, 0, value.length);
                    release(r);
                    slots.setRef(i, nr);
                    afterWrite();
                    return old;
                }
            }
        }
        int wanted = OpenAddressing.forOneMore(size, slots.capacity());
        if (wanted != slots.capacity()) {
            slots.resize(wanted);
        }
        slots.insert(store(key, 0, key.length, value, 0, value.length), h);
        size++;
        afterWrite();
        return null;
    }

    @Override // stored as this table stores entries: the packed array is not kept
    public void putPacked(byte[] entry, int keyLength) {
        put(Arrays.copyOfRange(entry, 4, 4 + keyLength), Arrays.copyOfRange(entry, 4 + keyLength, entry.length));
    }

    @Override
    public byte[] remove(byte[] key) {
        int h = PackedEntry.hash(key);
        for (int i = slots.home(h); ; i = slots.next(i)) {
            int r = slots.ref(i);
            if (r == 0) {
                return null;
            }
            if (slots.hash(i) == h) {
                byte[] old = valueIfKey(r, key);
                if (old != null) {
                    release(r);
                    size--;
                    slots.shiftBack(i);
                    afterWrite();
                    return old;
                }
            }
        }
    }

    @Override
    public void forEachPacked(Consumer<byte[]> action) {
        for (int i = 0, c = slots.capacity(); i < c; i++) {
            int r = slots.ref(i);
            if (r != 0) {
                action.accept(packed(r));
            }
        }
    }

    @Override
    public void clear() {
        slots.clear();
        size = 0;
        storedBytes = 0;
        slabs = new Slabs(slabBits);
    }

    @Override
    public void recompress() {
        if (!holdsUntrained || !values.ready()) {
            return;
        }
        holdsUntrained = false;
        for (int i = 0, c = slots.capacity(); i < c; i++) {
            int r = slots.ref(i);
            if (r != 0 && kind(r) == RAW) {
                byte[] s = slabs.bytes(r);
                int at = slabs.offset(r);
                int head = Slabs.readVarint(s, at);
                int k = head >>> 2;
                at += Slabs.varintSize(head);
                int n = Slabs.readVarint(s, at);
                at += Slabs.varintSize(n);
                int nr = store(s, at, k, s, at + k, n);
                if (kind(nr) != RAW) {
                    release(r);
                    slots.setRef(i, nr);
                } else {
                    release(nr); // stays as it was (the compressor failed on it)
                }
            }
        }
        reclaim();
    }

    // --- entries

    // Writes one entry into the slabs, compressed if the view compresses; returns its reference.
    private int store(byte[] key, int kFrom, int k, byte[] value, int vFrom, int v) {
        if (values.takesKeys()) {
            byte[] both = new byte[k + v];
            System.arraycopy(key, kFrom, both, 0, k);
            System.arraycopy(value, vFrom, both, k, v);
            byte[] small = values.compress(both);
            holdsUntrained |= small == null && values.gathering();
            if (small != null) {
                return write(BOTH, key, kFrom, k, small, 0, small.length);
            }
        } else {
            byte[] small = values.compress(range(value, vFrom, v));
            holdsUntrained |= small == null && values.gathering();
            if (small != null) {
                return write(VALUE, key, kFrom, k, small, 0, small.length);
            }
        }
        return write(RAW, key, kFrom, k, value, vFrom, v);
    }

    private int write(int kind, byte[] key, int kFrom, int k, byte[] body, int bFrom, int n) {
        boolean withKey = kind != BOTH;
        int head = k << 2 | kind;
        int total = Slabs.varintSize(head) + Slabs.varintSize(n) + (withKey ? k : 0) + n;
        int r = slabs.append(total, storedBytes);
        byte[] s = slabs.bytes(r);
        int at = Slabs.putVarint(s, slabs.offset(r), head);
        at = Slabs.putVarint(s, at, n);
        if (withKey) {
            System.arraycopy(key, kFrom, s, at, k);
            at += k;
        }
        System.arraycopy(body, bFrom, s, at, n);
        storedBytes += total;
        return r;
    }

    // The value of entry r if its key is {@code key}, else null.
    private byte[] valueIfKey(int r, byte[] key) {
        byte[] s = slabs.bytes(r);
        int at = slabs.offset(r);
        int head = Slabs.readVarint(s, at);
        int k = head >>> 2;
        if (k != key.length) {
            return null;
        }
        at += Slabs.varintSize(head);
        int n = Slabs.readVarint(s, at);
        at += Slabs.varintSize(n);
        switch (head & 3) {
            case RAW:
                return Arrays.equals(s, at, at + k, key, 0, k) ? Arrays.copyOfRange(s, at + k, at + k + n) : null;
            case VALUE:
                return Arrays.equals(s, at, at + k, key, 0, k) ? values.decompress(s, at + k, n, key) : null;
            default:
                byte[] both = values.decompress(s, at, n, key);
                return keyOf(both, key) ? Arrays.copyOfRange(both, k, both.length) : null;
        }
    }

    // Entry r as int32 keyLength ‖ key ‖ value as read.
    private byte[] packed(int r) {
        byte[] s = slabs.bytes(r);
        int at = slabs.offset(r);
        int head = Slabs.readVarint(s, at);
        int k = head >>> 2;
        at += Slabs.varintSize(head);
        int n = Slabs.readVarint(s, at);
        at += Slabs.varintSize(n);
        switch (head & 3) {
            case RAW:
                return PackedEntry.pack(s, at, k, s, at + k, n);
            case VALUE:
                byte[] value = values.decompress(s, at + k, n, s, at, k);
                return PackedEntry.pack(s, at, k, value, 0, value.length);
            default:
                byte[] both = values.decompress(s, at, n, null);
                if (both.length < k) {
                    throw new StatecastException(
                            "a compressed entry of " + both.length + " bytes cannot hold its " + k + "-byte key");
                }
                return PackedEntry.pack(both, 0, k, both, k, both.length - k);
        }
    }

    private int find(byte[] key, int h) {
        for (int i = slots.home(h); ; i = slots.next(i)) {
            int r = slots.ref(i);
            if (r == 0) {
                return -1;
            }
            if (slots.hash(i) == h && keyIs(r, key)) {
                return i;
            }
        }
    }

    private boolean keyIs(int r, byte[] key) {
        byte[] s = slabs.bytes(r);
        int at = slabs.offset(r);
        int head = Slabs.readVarint(s, at);
        int k = head >>> 2;
        if (k != key.length) {
            return false;
        }
        at += Slabs.varintSize(head);
        int n = Slabs.readVarint(s, at);
        at += Slabs.varintSize(n);
        if ((head & 3) != BOTH) {
            return Arrays.equals(s, at, at + k, key, 0, k);
        }
        return keyOf(values.decompress(s, at, n, key), key);
    }

    // Whether decompressed key ‖ value bytes start with key.
    private static boolean keyOf(byte[] both, byte[] key) {
        return both.length >= key.length && Arrays.equals(both, 0, key.length, key, 0, key.length);
    }

    private int kind(int r) {
        return Slabs.readVarint(slabs.bytes(r), slabs.offset(r)) & 3;
    }

    private int entrySize(int r) {
        byte[] s = slabs.bytes(r);
        int at = slabs.offset(r);
        int head = Slabs.readVarint(s, at);
        int n = Slabs.readVarint(s, at + Slabs.varintSize(head));
        return Slabs.varintSize(head) + Slabs.varintSize(n) + ((head & 3) == BOTH ? 0 : head >>> 2) + n;
    }

    private void afterWrite() {
        if (holdsUntrained && values.ready()) {
            recompress();
        } else if (overGrown()) {
            reclaim();
        }
    }

    // Whether the dead bytes passed a quarter of the live ones plus the slack (so the slot scan of a reclaim
    // is paid for by at least that many dead bytes).
    private boolean overGrown() {
        return slabs.allocated() - storedBytes > (storedBytes >>> 2) + slabs.slack(storedBytes);
    }

    // Entry r is dead: its bytes no longer count, and a slab left with none live goes.
    private void release(int r) {
        int n = entrySize(r);
        storedBytes -= n;
        slabs.dead(r, n);
    }

    /**
     * Moves the live entries of every slab under 80% live (but the one being filled) to the slab being
     * filled and frees those slabs, when the dead bytes pass a quarter of the live ones plus the slack.
     */
    void reclaim() {
        if (overGrown()) {
            move(slabs.sparse());
        }
    }

    // Moves the entries of the slabs marked (none: null) to the slab being filled, and frees those slabs.
    private void move(boolean[] moving) {
        if (moving == null) {
            return;
        }
        for (int i = 0, c = slots.capacity(); i < c; i++) {
            int r = slots.ref(i);
            if (r != 0 && moving[slabs.slab(r)]) {
                int n = entrySize(r);
                int nr = slabs.append(n, storedBytes);
                System.arraycopy(slabs.bytes(r), slabs.offset(r), slabs.bytes(nr), slabs.offset(nr), n);
                slabs.moved(r, n);
                slots.setRef(i, nr);
            }
        }
        slabs.releaseAll(moving);
    }

    private static byte[] range(byte[] a, int from, int n) {
        return from == 0 && n == a.length ? a : Arrays.copyOfRange(a, from, from + n);
    }
}
