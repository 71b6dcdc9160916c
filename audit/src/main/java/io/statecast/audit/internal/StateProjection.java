package io.statecast.audit.internal;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import io.statecast.common.StatecastException;
import io.statecast.schemas.SliceValueReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The live entries of the state log at its end, by key: the entry hash and, per slice, the slice
 * value — what a slice must hold, without keeping any value. Built from one pass over {@code state}.
 */
public final class StateProjection {
    /** One live entry: its entry hash and its value for each slice (null: in no slice). */
    public record Projected(long h0, long h1, String[] slices) {}

    private final List<SliceValueReader> readers;
    private final Map<Bytes, Projected> live = new HashMap<>();
    private long unreadable;

    private StateProjection(List<SliceValueReader> readers) {
        this.readers = readers;
    }

    /** Reads {@code topic} (the state log) once, projecting by each reader's field. */
    public static StateProjection of(LogReader reader, String topic, List<SliceValueReader> readers) {
        StateProjection p = new StateProjection(readers);
        reader.forEach(topic, p::accept);
        return p;
    }

    void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        Bytes k = Bytes.wrap(r.key());
        if (r.value() == null) {
            live.remove(k);
            return;
        }
        String[] values = new String[readers.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = readers.get(i).readStateRecord(r.value());
            } catch (StatecastException e) {
                unreadable++; // not a state record the audit can read: the slice audit will count it missing
            }
        }
        long[] h = EntryHash.forVersion(Digest.VERSION).of(r.key(), r.value());
        live.put(k, new Projected(h[0], h[1], values));
    }

    /** Live entries by key. */
    public Map<Bytes, Projected> live() {
        return live;
    }

    /** State values whose slice fields could not be read. */
    public long unreadable() {
        return unreadable;
    }
}
