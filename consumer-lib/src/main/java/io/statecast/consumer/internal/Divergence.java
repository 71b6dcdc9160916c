package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.StateRecord;
import java.nio.charset.StandardCharsets;

/**
 * The ways {@link ViewTestSeams} makes a view differ from the table, as a bug in applying records would:
 * entries and digest change together, so they agree with each other and not with the materializer's
 * checksums, which must catch it.
 */
enum Divergence {
    /** An entry of the view disappears. */
    DROP_ENTRY,
    /** An entry's value changes (its update time, by 1 ms). */
    ALTER_VALUE,
    /** An entry that is not in the table appears, in the key's home partition. */
    ADD_FOREIGN_ENTRY,
    /** A filtered-out entry's hash disappears (a filtering view). */
    DROP_FILTERED_ENTRY;

    /** Whether the target is the key's home partition (the key is not in the view) rather than its holder. */
    boolean atHome() {
        return this == ADD_FOREIGN_ENTRY || this == DROP_FILTERED_ENTRY;
    }

    /** @param anyStored any value stored in the view, for {@link #ADD_FOREIGN_ENTRY} */
    void apply(PartitionTable t, byte[] key, byte[] anyStored) {
        switch (this) {
            case DROP_ENTRY -> t.digest.remove(key, t.entries.remove(key));
            case ALTER_VALUE -> {
                byte[] old = t.entries.get(key);
                StateRecord r = Envelopes.stateRecord().decode(old);
                r.setUpdatedAt(r.getUpdatedAt().plusMillis(1));
                byte[] altered = Envelopes.stateRecord().encode(r);
                t.entries.put(key, altered);
                t.digest.replace(key, old, altered);
            }
            case ADD_FOREIGN_ENTRY -> {
                t.entries.put(key, anyStored);
                t.digest.add(key, anyStored);
            }
            default -> {
                long[] h = t.foreign.remove(key);
                if (h == null) {
                    throw new StatecastException(
                            "key " + new String(key, StandardCharsets.UTF_8) + " is not a filtered-out entry");
                }
                t.digest.removeHash(h[0], h[1]);
            }
        }
    }
}
