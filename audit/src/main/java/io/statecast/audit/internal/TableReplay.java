package io.statecast.audit.internal;

import io.statecast.audit.Entry;
import io.statecast.audit.PointInTime;
import java.util.Map;
import java.util.TreeMap;

/** The table at one point, built by applying entries in per-key version order (the log's order). */
public final class TableReplay {
    private final PointInTime point;
    private final Map<String, Entry> table = new TreeMap<>();

    /** A replay that keeps what lies at or before {@code point}. */
    public TableReplay(PointInTime point) {
        this.point = point;
    }

    /** Applies {@code e} when it lies at or before the point: an upsert replaces, a delete removes. */
    public void apply(Entry e, long timestampMs) {
        if (!point.includes(e.partition(), e.srcOffset(), timestampMs)) {
            return;
        }
        if (e.isDelete()) {
            table.remove(e.key());
        } else {
            table.put(e.key(), e);
        }
    }

    /** The point replayed. */
    public PointInTime point() {
        return point;
    }

    /** The live entries, sorted by key. */
    public Map<String, Entry> entries() {
        return table;
    }
}
