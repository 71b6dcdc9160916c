package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import java.util.Arrays;

/**
 * The byte arrays a {@link SlabEntries} packs its entries into, and which of their bytes are live. An entry
 * is known by an int reference, {@code 1 + (slab << slabBits | offset)} read unsigned (0 is "none"), so a
 * table addresses up to 4 GB. Slabs are at most 2^slabBits bytes (far below G1's humongous size); a small
 * table's are smaller (a view of many small partitions must not hold 128 KB each), and an entry larger
 * than a slab gets an array of its own. A slab with no live byte left is freed at once.
 */
final class Slabs {
    private static final int MIN_SLAB = 1024;

    private final int slabBits;
    private final int slabSize;
    private byte[][] slabs = new byte[4][];
    private int[] live = new int[4];
    private int count; // slabs[0, count) are in use or free
    private int[] free = new int[4];
    private int freeCount;
    private int cur = -1; // the slab being filled
    private int fill;
    private long allocated;

    Slabs(int slabBits) {
        if (slabBits < 4 || slabBits > 20) {
            throw new IllegalArgumentException("slabBits must be in [4, 20]: " + slabBits);
        }
        this.slabBits = slabBits;
        this.slabSize = 1 << slabBits;
    }

    private Slabs(Slabs of) {
        this.slabBits = of.slabBits;
        this.slabSize = of.slabSize;
        this.slabs = of.slabs.clone();
        this.count = of.count;
        this.cur = -1;
    }

    /**
     * The slabs as they are now, read only, for a reader on another thread while these change: a copy of
     * the array of slabs, not of their bytes. No byte an entry was written to is ever written again — an
     * entry goes to the unfilled end of the slab being filled, a freed slab's array is dropped (never
     * reused), a slab cut to its fill is a new array — so every reference into them stays valid in the copy.
     */
    Slabs frozen() {
        return new Slabs(this);
    }

    /** Bytes of every slab held: live entries, dead ones not yet reclaimed, the unfilled end of the last. */
    long allocated() {
        return allocated;
    }

    /** The largest slab. */
    int slabSize() {
        return slabSize;
    }

    byte[] bytes(int ref) {
        return slabs[slab(ref)];
    }

    int offset(int ref) {
        return (ref - 1) & (slabSize - 1);
    }

    int slab(int ref) {
        return (ref - 1) >>> slabBits;
    }

    /** Room for an entry of {@code n} bytes, counted live, after {@code live} bytes stored in all: its reference. */
    int append(int n, long stored) {
        if (n > slabSize) { // alone in an array of its size (a large value, or one stored before training)
            int s = newSlab(n);
            live[s] = n;
            return (s << slabBits) + 1;
        }
        if (cur < 0 || fill + n > slabs[cur].length) {
            int sealed = cur;
            long want = Math.max(MIN_SLAB, Long.highestOneBit(Math.max(1, stored / 4)) << 1);
            cur = newSlab((int) Math.max(n, Math.min(slabSize, want)));
            fill = 0;
            if (sealed >= 0 && live[sealed] == 0) {
                release(sealed);
            }
        }
        int r = (cur << slabBits | fill) + 1;
        fill += n;
        live[cur] += n;
        return r;
    }

    /** The {@code n} bytes of entry {@code ref} are dead. */
    void dead(int ref, int n) {
        int s = slab(ref);
        live[s] -= n;
        if (live[s] == 0 && s != cur) {
            release(s);
        }
    }

    /** Cuts the slab being filled to its fill (the next entry starts another): no empty bytes held. */
    void cutCurrent() {
        if (cur < 0 || fill == slabs[cur].length) {
            return;
        }
        if (fill == 0) {
            release(cur);
            return;
        }
        allocated -= slabs[cur].length - fill;
        slabs[cur] = Arrays.copyOf(slabs[cur], fill);
    }

    /** The {@code n} bytes of entry {@code ref} have moved to another slab, which {@link #releaseAll} frees. */
    void moved(int ref, int n) {
        live[slab(ref)] -= n;
    }

    /** The slabs, but the one being filled, less than 80% live (null: none). */
    boolean[] sparse() {
        boolean[] out = null;
        for (int s = 0; s < count; s++) {
            if (slabs[s] != null && s != cur && live[s] < slabs[s].length * 0.8) {
                out = out == null ? new boolean[count] : out;
                out[s] = true;
            }
        }
        return out;
    }

    /** Frees the slabs marked, whose live entries have all {@link #moved}. */
    void releaseAll(boolean[] marked) {
        for (int s = 0; s < marked.length; s++) {
            if (marked[s] && slabs[s] != null) {
                release(s);
            }
        }
    }

    /** Dead bytes tolerated beyond a quarter of {@code stored}: two slabs of a small table, a sixteenth of a large one. */
    long slack(long stored) {
        return Math.max(2L * Math.min(slabSize, Math.max(MIN_SLAB, stored / 4)), stored >>> 4);
    }

    private int newSlab(int bytes) {
        int s;
        if (freeCount > 0) {
            s = free[--freeCount];
        } else {
            if (count >= (1 << (32 - slabBits)) - 1) {
                throw new StatecastException(
                        "a partition's compact table is full: " + count + " slabs of up to " + slabSize + " bytes");
            }
            s = count++;
            if (s == slabs.length) {
                slabs = Arrays.copyOf(slabs, s * 2);
                live = Arrays.copyOf(live, s * 2);
            }
        }
        slabs[s] = new byte[bytes];
        live[s] = 0;
        allocated += bytes;
        return s;
    }

    private void release(int s) {
        allocated -= slabs[s].length;
        slabs[s] = null;
        live[s] = 0;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = s;
        if (s == cur) {
            cur = -1;
        }
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    static int putVarint(byte[] out, int at, int v) {
        while ((v & ~0x7f) != 0) {
            out[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    static int readVarint(byte[] in, int at) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in[at++];
            v |= (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }
}
