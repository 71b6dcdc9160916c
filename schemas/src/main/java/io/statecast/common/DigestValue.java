package io.statecast.common;

import java.util.List;

/** An immutable digest: entry count and two 64-bit lanes (see {@link Digest}). */
public record DigestValue(long count, long lane0, long lane1) {
    public static final DigestValue EMPTY = new DigestValue(0, 0, 0);

    /** The lanes in the order a {@code Checksum} record lists them. */
    public List<Long> lanes() {
        return List.of(lane0, lane1);
    }

    /**
     * Whether a checksum's fields describe this digest. A checksum of another digest version or lane
     * count is never equal: the caller must treat it as not comparable, not as a mismatch.
     */
    public boolean matches(long count, List<Long> lanes) {
        return this.count == count && lanes.size() == Digest.LANES && lanes.get(0) == lane0 && lanes.get(1) == lane1;
    }

    @Override
    public String toString() {
        return String.format("Digest[count=%d, lanes=%016x:%016x]", count, lane0, lane1);
    }
}
