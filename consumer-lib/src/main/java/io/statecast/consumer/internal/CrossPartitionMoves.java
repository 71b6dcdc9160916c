package io.statecast.consumer.internal;

import io.statecast.consumer.Change;
import io.statecast.schemas.Envelopes;
import java.nio.charset.StandardCharsets;

/**
 * The changes a view of several slice values in several slice partitions tells. Each partition's table
 * follows its own log exactly (its digest must equal the materializer's), but an entity moving between
 * two of the view's values in different partitions is, for a moment, in both tables or in neither: the
 * two partitions are read independently, so its new record may come before or after the tombstone in
 * its old partition. Listeners and indexes follow the entity's newest version instead: a record older
 * than the one another table holds is no change of the entity (its tombstone follows), and a delete
 * while another table holds a newer version is none either. Versions come from the state records.
 */
final class CrossPartitionMoves<V> {
    private final ViewTable<V> table;

    CrossPartitionMoves(ViewTable<V> table) {
        this.table = table;
    }

    /** The change to tell for {@code c}, applied to {@code applied}; null when the entity did not change. */
    Change<V> reconcile(Change<V> c, Partition applied) {
        byte[] key = c.key().getBytes(StandardCharsets.UTF_8);
        Partition other = table.otherHolder(key, applied);
        if (other == null || c.meta() == null) {
            return c;
        }
        byte[] stored = other.table.entries.get(key);
        if (versionOf(other.table, key, stored) >= c.meta().version()) {
            return null; // the other table holds the entity's newer version: listeners heard it already
        }
        // The other table's version is older: it leaves that partition later (its tombstone follows).
        return c.newValue() == null
                ? c
                : new Change<>(c.key(), table.decode(other.table, key, stored), c.newValue(), c.meta());
    }

    // The version of a stored state record; -1 when it is stored transformed (no envelope to read it from).
    private static long versionOf(PartitionTable t, byte[] key, byte[] stored) {
        return t.isRaw(key) ? Envelopes.stateRecord().decode(stored).getVersion() : -1;
    }
}
