package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Sums a partition's digest again from its table store, in another digest version. */
final class DigestConversion {
    private DigestConversion() {}

    /** The digest of every live row of {@code table} (one task's store: exactly its partition). */
    static Digest sum(KeyValueStore<Bytes, byte[]> table, EntryHash hash) {
        Digest d = new Digest(hash);
        try (KeyValueIterator<Bytes, byte[]> it = table.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> row = it.next();
                TableEntry e = TableEntry.decode(row.value);
                if (e.live()) {
                    d.add(row.key.get(), e.value());
                }
            }
        }
        return d;
    }
}
