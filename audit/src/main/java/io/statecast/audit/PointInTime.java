package io.statecast.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A point of a namespace's history (see docs/audit.md for the exact definitions):
 * <ul>
 *   <li>{@link #at(Instant)}: every record whose timestamp (the materializer's update time) is at or
 *       before the instant;</li>
 *   <li>{@link #offsets(Map)}: per partition P, every record whose {@code srcOffset} (offset in
 *       {@code <ns>.changes}) is at or before O; partitions not named are taken whole (their end);</li>
 *   <li>{@link #latest()}: everything.</li>
 * </ul>
 *
 * @param time the instant, or null
 * @param offsets {@code changes} offsets per partition, or null
 */
public record PointInTime(Instant time, Map<Integer, Long> offsets) {

    /** Records whose timestamp is at or before {@code time}. */
    public static PointInTime at(Instant time) {
        return new PointInTime(time, null);
    }

    /** Records whose {@code srcOffset} is at or before the partition's offset. */
    public static PointInTime offsets(Map<Integer, Long> offsets) {
        return new PointInTime(null, new TreeMap<>(offsets));
    }

    /** The end of the log: everything. */
    public static PointInTime latest() {
        return new PointInTime(null, null);
    }

    /** Parses an ISO-8601 instant such as {@code 2026-11-24T10:00:00Z}. */
    public static PointInTime parseTime(String iso) {
        try {
            return at(Instant.parse(iso.trim()));
        } catch (DateTimeParseException e) {
            throw new InvalidPointException(
                    "Not an ISO-8601 instant: '" + iso + "'. Write it like 2026-11-24T10:00:00Z.");
        }
    }

    /** Parses {@code P:O,P:O,...} (partition:offset in {@code changes}). */
    public static PointInTime parseOffsets(String spec) {
        Map<Integer, Long> m = new TreeMap<>();
        for (String part : spec.split(",")) {
            String[] po = part.trim().split(":");
            if (po.length != 2) {
                throw badOffsets(spec);
            }
            try {
                m.put(Integer.parseInt(po[0].trim()), Long.parseLong(po[1].trim()));
            } catch (NumberFormatException e) {
                throw badOffsets(spec);
            }
        }
        return offsets(m);
    }

    /** Parses either form: {@code P:O,…} when it contains no 'T', else an ISO-8601 instant. */
    public static PointInTime parse(String spec) {
        if (!spec.contains("T") && !spec.contains(":")) {
            throw new InvalidPointException("Neither a time nor offsets: '" + spec
                    + "'. Write an ISO-8601 time like 2026-11-24T10:00:00Z or changes offsets like 0:120,1:98");
        }
        return spec.contains("T") ? parseTime(spec) : parseOffsets(spec);
    }

    private static InvalidPointException badOffsets(String spec) {
        return new InvalidPointException(
                "Offsets must look like 0:120,1:98 (partition:offset in changes), got '" + spec + "'.");
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

    /** Throws {@link InvalidPointException} when the point names a partition the topic does not have. */
    public void checkPartitions(int partitionCount) {
        if (offsets == null) {
            return;
        }
        for (int p : offsets.keySet()) {
            if (p < 0 || p >= partitionCount) {
                throw new InvalidPointException("Partition " + p + " does not exist: the namespace has partitions 0.."
                        + (partitionCount - 1) + ".");
            }
        }
    }

    @Override
    public String toString() {
        return time != null ? time.toString() : offsets != null ? offsets.toString() : "latest";
    }
}
