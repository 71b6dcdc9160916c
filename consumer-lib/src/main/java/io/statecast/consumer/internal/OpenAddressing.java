package io.statecast.consumer.internal;

/**
 * The probing and sizing rules shared by {@link EntryTable} and {@link ForeignHashes}: linear probing
 * over any capacity, homes by Lemire's multiply-shift (so a table can grow by half and stay 50% to 75%
 * full; powers of two left it anywhere from 37.5% to 75%), backward-shift deletion.
 */
final class OpenAddressing {
    static final float LOAD = 0.75f;
    static final int MIN_CAPACITY = 16;

    private OpenAddressing() {}

    /** The home slot of a 32-bit hash. */
    static int home(int hash, int capacity) {
        return (int) (((hash & 0xFFFFFFFFL) * capacity) >>> 32);
    }

    static int next(int slot, int capacity) {
        return slot + 1 == capacity ? 0 : slot + 1;
    }

    /** Whether the entry at {@code slot}, whose home is {@code home}, may move back into {@code hole}. */
    static boolean movable(int home, int hole, int slot) {
        return hole <= slot ? (home <= hole || home > slot) : (home <= hole && home > slot);
    }

    /** The capacity that holds {@code expected} entries 75% full. */
    static int capacityFor(int expected) {
        return Math.max(MIN_CAPACITY, (int) Math.ceil(expected / LOAD));
    }

    /** The capacity after adding one entry to {@code size}: grown by half past 75%, else unchanged. */
    static int forOneMore(int size, int capacity) {
        return size + 1 > capacity * LOAD ? capacity + (capacity >>> 1) : capacity;
    }

    /** The capacity a bulk load that left the table under half full shrinks to (75% full), else unchanged. */
    static int trimmed(int size, int capacity) {
        return capacity > MIN_CAPACITY && size < capacity * LOAD / 1.5f ? capacityFor(size + 1) : capacity;
    }
}
