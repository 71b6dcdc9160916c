package io.statecast.audit.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks that a log holds every version of every key: 1, 2, 3… with no gap. An append-only
 * {@code history} that misses versions was enabled late or lost records, so replays from it are not exact.
 */
public final class VersionGaps {
    private final Map<String, Long> last = new HashMap<>();
    private final TreeSet<Integer> partitionsWithGaps = new TreeSet<>();
    private long gaps;

    /** Records that {@code key} (in {@code partition}) reached {@code version}. */
    public void see(int partition, String key, long version) {
        Long previous = last.put(partition + "/" + key, version);
        long expected = previous == null ? 1 : previous + 1;
        if (version != expected) {
            gaps++;
            partitionsWithGaps.add(partition);
        }
    }

    /** How many records did not follow their key's previous version. */
    public long gaps() {
        return gaps;
    }

    /** Whether {@code partition} had a gap. */
    public boolean hasGap(int partition) {
        return partitionsWithGaps.contains(partition);
    }
}
