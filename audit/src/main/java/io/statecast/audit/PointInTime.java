package io.statecast.audit;

import io.statecast.common.StatecastException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A point of a namespace's history: a wall-clock time (records whose timestamp, the materializer's
 * update time, is at or before it) or {@code changes} offsets per partition (records whose
 * {@code srcOffset} is at or before the partition's offset; partitions not named are taken whole).
 */
public record PointInTime(Instant time, Map<Integer, Long> offsets) {

    public static PointInTime at(Instant time) {
        return new PointInTime(time, null);
    }

    public static PointInTime offsets(Map<Integer, Long> offsets) {
        return new PointInTime(null, new TreeMap<>(offsets));
    }

    /** The end of the log: everything. */
    public static PointInTime latest() {
        return new PointInTime(null, null);
    }

    /** Parses {@code P:O,P:O,...}. */
    public static PointInTime parseOffsets(String spec) {
        Map<Integer, Long> m = new TreeMap<>();
        for (String part : spec.split(",")) {
            String[] po = part.trim().split(":");
            try {
                m.put(Integer.parseInt(po[0]), Long.parseLong(po[1]));
            } catch (RuntimeException e) {
                throw new StatecastException("Offsets must look like 0:120,1:98 (partition:offset), got '" + spec + "'");
            }
        }
        return offsets(m);
    }

    /** Whether a record of {@code partition} with this srcOffset and timestamp lies at or before the point. */
    public boolean includes(int partition, long srcOffset, long timestampMs) {
        if (time != null) {
            return timestampMs <= time.toEpochMilli();
        }
        if (offsets != null && offsets.containsKey(partition)) {
            return srcOffset <= offsets.get(partition);
        }
        return true;
    }

    @Override
    public String toString() {
        return time != null ? time.toString() : offsets != null ? offsets.toString() : "latest";
    }
}
