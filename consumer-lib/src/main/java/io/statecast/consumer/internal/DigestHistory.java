package io.statecast.consumer.internal;

import io.statecast.common.DigestValue;

/**
 * A bounded history of one partition's digest after each applied state record: (srcOffset, record
 * timestamp, when it was read, count, lanes), in primitive ring arrays. It answers "the digest after
 * the last record with srcOffset ≤ o" and "was the log intact at o when this view read it". The arrays
 * start small and double up to the capacity: a slice view keeps one history per source partition of each
 * slice partition, most of them with a few records.
 */
final class DigestHistory {
    private static final int INITIAL = 16;

    private final int capacity;
    private long[] src;
    private long[] timestamp;
    private long[] readAt;
    private long[] count;
    private long[] lane0;
    private long[] lane1;
    private int start;
    private int size;
    private boolean wrapped;
    /**
     * How far the broker's clock is at least ahead of the view's (0 when not known to be): the largest
     * (record timestamp − when it was read) seen. Record timestamps of the state topic are the broker's
     * (LogAppendTime), the clock its cleaner measures {@code min.compaction.lag.ms} with; a view whose clock
     * runs behind would otherwise take a record it read past that lag for one read within it. A record's
     * timestamp is never later than the broker's clock when it was read, so this never overstates the skew.
     */
    private long brokerAheadMs;

    DigestHistory(int capacity) {
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL));
    }

    private void allocate(int n) {
        src = new long[n];
        timestamp = new long[n];
        readAt = new long[n];
        count = new long[n];
        lane0 = new long[n];
        lane1 = new long[n];
    }

    // Full but below the capacity: double, keeping the points in order from index 0.
    private void grow() {
        long[][] old = {src, timestamp, readAt, count, lane0, lane1};
        int n = src.length;
        allocate(Math.min(capacity, n * 2));
        long[][] now = {src, timestamp, readAt, count, lane0, lane1};
        for (int a = 0; a < old.length; a++) {
            System.arraycopy(old[a], start, now[a], 0, n - start);
            System.arraycopy(old[a], 0, now[a], n - start, start);
        }
        start = 0;
    }

    /** Forgets everything and starts from a known digest at srcOffset; earlier points are outside the window. */
    void base(long srcOffset, long nowMs, DigestValue d) {
        clear();
        record(srcOffset, nowMs, nowMs, d.count(), d.lane0(), d.lane1());
        wrapped = true;
    }

    void record(long srcOffset, long recordTimestamp, long readAtMs, io.statecast.common.Digest d) {
        record(srcOffset, recordTimestamp, readAtMs, d.count(), d.lane(0), d.lane(1));
    }

    private void record(long srcOffset, long recordTimestamp, long readAtMs, long c, long l0, long l1) {
        int i;
        if (size == src.length && src.length < capacity) {
            grow();
        }
        if (size < src.length) {
            i = (start + size++) % src.length;
        } else {
            i = start;
            start = (start + 1) % src.length;
            wrapped = true;
        }
        brokerAheadMs = Math.max(brokerAheadMs, recordTimestamp - readAtMs);
        src[i] = srcOffset;
        timestamp[i] = recordTimestamp;
        readAt[i] = readAtMs;
        count[i] = c;
        lane0[i] = l0;
        lane1[i] = l1;
    }

    void clear() {
        start = 0;
        size = 0;
        wrapped = false;
        if (src.length > INITIAL) {
            allocate(Math.min(capacity, INITIAL)); // a re-read partition gives its history back
        }
    }

    /** Forgets everything: every point is outside the window until the history is based again. */
    void forget() {
        clear();
        wrapped = true;
    }

    /** The outcome of looking up a checkpoint. */
    enum Lookup {
        FOUND,
        OUTSIDE_WINDOW,
        COMPACTED
    }

    /** Result: the digest at the point, or why there is none. */
    record At(Lookup lookup, DigestValue digest) {}

    /**
     * The digest after the last record with srcOffset ≤ o. The replay is exact at o only if the
     * record after o was read within {@code lagMs} of being written (the cleaner only drops a record
     * for a newer one older than that lag, by the broker's clock: the view's is corrected by how far the
     * broker's is known to be ahead); at the end of what was read, it is always exact.
     */
    At at(long o, long lagMs) {
        int lo = 0;
        int hi = size; // first index with src > o
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (src[idx(mid)] <= o) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == 0 && wrapped) {
            return new At(Lookup.OUTSIDE_WINDOW, null);
        }
        if (lo < size) {
            int next = idx(lo);
            if (timestamp[next] < readAt[next] + brokerAheadMs - lagMs) {
                return new At(Lookup.COMPACTED, null);
            }
        }
        if (lo == 0) {
            return new At(Lookup.FOUND, DigestValue.EMPTY);
        }
        int i = idx(lo - 1);
        return new At(Lookup.FOUND, new DigestValue(count[i], lane0[i], lane1[i]));
    }

    private int idx(int logical) {
        return (start + logical) % src.length;
    }
}
