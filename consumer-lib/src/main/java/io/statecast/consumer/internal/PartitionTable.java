package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;

/**
 * One state partition's data, so that a partition can be dropped and read again alone: its entries as
 * stored, the hashes of entries whose stored bytes are not the bytes read (filtered out, or
 * transformed), the digest of every (key, value bytes as read) it applied — the same digest the
 * materializer keeps — and the digest after each of its last records, to compare checksums with.
 * {@link ApplyRule} writes the entries, hashes and digest; the partition's writer appends the history.
 */
final class PartitionTable {
    final EntryTable entries;
    final ForeignHashes foreign = new ForeignHashes();
    final Digest digest;
    final DigestHistory history;

    /** A table whose digest is of the newest version. */
    PartitionTable(int historyCapacity) {
        this(historyCapacity, EntryHash.forVersion(Digest.VERSION));
    }

    PartitionTable(int historyCapacity, EntryHash digestHash) {
        this(historyCapacity, digestHash, StoredValues.none());
    }

    /** A table whose entries keep their values as {@code values} says (compressed or as read). */
    PartitionTable(int historyCapacity, EntryHash digestHash, StoredValues values) {
        this.entries = new EntryTable(16, EntryTable.DEFAULT_PAGE_BITS, values);
        this.digest = new Digest(digestHash);
        this.history = new DigestHistory(historyCapacity);
    }

    /**
     * Makes the digest one of {@code hash}'s version (the materializer's checksums use it). When every
     * entry is stored as read, the digest is summed again from the entries and the history starts at
     * {@code appliedSrc}: returns true. Otherwise (filtered-out or transformed entries are known only by
     * hashes of the old version) the digest is emptied and false says the partition must be read again.
     */
    boolean switchDigest(EntryHash hash, long appliedSrc, long nowMs) {
        digest.restart(hash);
        history.forget(); // nothing compares until summed again, or read again
        if (!foreign.isEmpty()) {
            return false;
        }
        entries.forEachPacked(e -> {
            int k = PackedEntry.keyLengthOf(e);
            digest.add(e, 4, k, e, 4 + k, e.length - 4 - k);
        });
        history.base(appliedSrc, nowMs, digest.value());
        return true;
    }

    /** Whether the entry is stored as read (decoded through its envelope), not as a transformed payload. */
    boolean isRaw(byte[] key) {
        return foreign.isEmpty() || !foreign.contains(key);
    }

    /** Whether the key is in the table, stored or (filtered out) as a hash. */
    boolean holds(byte[] key) {
        return entries.contains(key) || (!foreign.isEmpty() && foreign.contains(key));
    }

    /** Gives back what a bootstrap presized beyond what the log turned out to hold. */
    void trim() {
        entries.trim();
        foreign.trim();
    }

    void clear() {
        entries.clear();
        digest.clear();
        foreign.clear();
        history.clear();
    }
}
