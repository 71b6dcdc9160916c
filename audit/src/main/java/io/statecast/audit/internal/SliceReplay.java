package io.statecast.audit.internal;

import io.statecast.audit.SliceReport;
import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceValueDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;

/**
 * Replays what one source partition wrote to one slice partition, in offset order, into one digest per
 * slice value, and judges that pair's slice checksums at their checkpoints (the replay after the last
 * record whose srcOffset is at or before the checksum's), as docs/protocol.md defines them.
 */
final class SliceReplay {
    /** A live entry of the replay: its slice value and entry hash. */
    record Live(String slice, long h0, long h1) {}

    private final int partition;
    private final int srcPartition;
    private final Comparability comparability;
    private final Deque<SliceChecksum> pending;
    private final Map<Bytes, Live> live = new HashMap<>();
    private final Map<String, Digest> digests = new HashMap<>();
    private final List<SliceReport.Mismatch> mismatches = new ArrayList<>();
    private int verified;
    private int notComparable;

    SliceReplay(int partition, int srcPartition, List<SliceChecksum> checksums, Comparability comparability) {
        this.partition = partition;
        this.srcPartition = srcPartition;
        this.comparability = comparability;
        List<SliceChecksum> sorted = new ArrayList<>(checksums);
        sorted.sort(Comparator.comparingLong(SliceChecksum::getSrcOffset));
        this.pending = new ArrayDeque<>(sorted);
    }

    /** Applies the next record of this pair; {@code value} null is a tombstone. */
    void accept(byte[] key, byte[] value, String slice, long srcOffset, long timestampMs) {
        while (!pending.isEmpty() && pending.peekFirst().getSrcOffset() < srcOffset) {
            judge(pending.pollFirst(), false, timestampMs);
        }
        Bytes k = Bytes.wrap(key);
        Live old = live.remove(k);
        if (old != null) {
            digests.get(old.slice()).removeHash(old.h0(), old.h1());
        }
        if (value != null && slice != null) {
            long[] h = EntryHash.forVersion(Digest.VERSION).of(key, value);
            live.put(k, new Live(slice, h[0], h[1]));
            digests.computeIfAbsent(slice, s -> new Digest(EntryHash.forVersion(Digest.VERSION)))
                    .addHash(h[0], h[1]);
        }
    }

    /** Judges the checksums left: they lie at the end of the log. */
    void finish() {
        while (!pending.isEmpty()) {
            judge(pending.pollFirst(), true, Long.MAX_VALUE);
        }
    }

    private void judge(SliceChecksum c, boolean atEnd, long nextTimestampMs) {
        if (c.getDigestVersion() != Digest.VERSION || !comparability.exact(atEnd, nextTimestampMs)) {
            notComparable++;
            return;
        }
        Map<String, DigestValue> stated = new TreeMap<>();
        for (SliceValueDigest v : c.getValues()) {
            stated.put(
                    v.getValue(),
                    new DigestValue(
                            v.getCount(), v.getLanes().get(0), v.getLanes().get(1)));
        }
        TreeSet<String> values = new TreeSet<>(stated.keySet());
        digests.forEach((v, d) -> {
            if (d.count() != 0) {
                values.add(v);
            }
        });
        boolean ok = true;
        for (String v : values) {
            DigestValue s = stated.getOrDefault(v, DigestValue.EMPTY);
            DigestValue r = digests.containsKey(v) ? digests.get(v).value() : DigestValue.EMPTY;
            if (!s.equals(r)) {
                mismatches.add(new SliceReport.Mismatch(partition, srcPartition, c.getSrcOffset(), v, s, r));
                ok = false;
            }
        }
        if (ok) {
            verified++;
        }
    }

    int partition() {
        return partition;
    }

    Map<Bytes, Live> live() {
        return live;
    }

    int verified() {
        return verified;
    }

    int notComparable() {
        return notComparable;
    }

    List<SliceReport.Mismatch> mismatches() {
        return mismatches;
    }
}
