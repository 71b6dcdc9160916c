package io.statecast.consumer.internal;

import io.statecast.common.Digest;

/**
 * One state partition's data, so that a partition can be dropped and read again alone: its entries as
 * stored, the hashes of entries whose stored bytes are not the bytes read (filtered out, or
 * transformed), the digest of every (key, value bytes as read) it applied — the same digest the
 * materializer keeps — and the digest after each of its last records, to compare checksums with.
 * {@link ApplyRule} writes the entries, hashes and digest; the partition's writer appends the history.
 */
final class PartitionTable {
    final EntryTable entries = new EntryTable();
    final ForeignHashes foreign = new ForeignHashes();
    final Digest digest = new Digest();
    final DigestHistory history;

    PartitionTable(int historyCapacity) {
        this.history = new DigestHistory(historyCapacity);
    }

    /** Whether the entry is stored as read (decoded through its envelope), not as a transformed payload. */
    boolean isRaw(byte[] key) {
        return foreign.isEmpty() || !foreign.contains(key);
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
