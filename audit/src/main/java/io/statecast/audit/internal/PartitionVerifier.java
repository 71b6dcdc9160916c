package io.statecast.audit.internal;

import io.statecast.audit.VerifyReport;
import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import io.statecast.schemas.Checksum;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * Replays one partition's log into a {@link Digest} exactly as docs/protocol.md defines it (an upsert
 * replaces the key's old entry, a tombstone removes it) and judges each checksum of the partition at
 * its checkpoint: the digest after the last record whose srcOffset is at or before the checksum's.
 * One digest per digest version its checksums use (a materializer's version may change over the log);
 * a checksum of a version this library does not compute is not comparable. Records must be fed in
 * offset order.
 */
public final class PartitionVerifier {
    private final int partition;
    private final String source;
    private final Comparability comparability;
    private final Deque<Checksum> pending;
    // Per digest version: per key the hash of its live entry (to subtract it later, without keeping
    // values), and the digest.
    private final Map<Integer, Replay> replays = new HashMap<>();
    private final List<VerifyReport.Mismatch> mismatches = new ArrayList<>();
    private int verified;
    private int notComparable;
    private long skipped;

    /** A verifier of {@code partition}'s checksums (any order) over the log {@code source}. */
    public PartitionVerifier(int partition, String source, List<Checksum> checksums, Comparability comparability) {
        this.partition = partition;
        this.source = source;
        this.comparability = comparability;
        List<Checksum> sorted = new ArrayList<>(checksums);
        sorted.sort(Comparator.comparingLong(Checksum::getSrcOffset));
        this.pending = new ArrayDeque<>(sorted);
        replays.put(Digest.VERSION, new Replay(EntryHash.forVersion(Digest.VERSION)));
        for (Checksum c : sorted) {
            if (EntryHash.supports(c.getDigestVersion())) {
                replays.computeIfAbsent(c.getDigestVersion(), v -> new Replay(EntryHash.forVersion(v)));
            }
        }
    }

    private static final class Replay {
        final Map<Bytes, long[]> live = new HashMap<>();
        final Digest digest;

        Replay(EntryHash hash) {
            digest = new Digest(hash);
        }

        void apply(Bytes k, byte[] value) {
            long[] old = value == null
                    ? live.remove(k)
                    : live.put(k, digest.entryHash().of(k.get(), value));
            if (old != null) {
                digest.removeHash(old[0], old[1]);
            }
            if (value != null) {
                long[] h = live.get(k);
                digest.addHash(h[0], h[1]);
            }
        }
    }

    /** Applies the next record of the log; {@code value} null is a tombstone. */
    public void accept(byte[] key, byte[] value, long srcOffset, long timestampMs) {
        while (!pending.isEmpty() && pending.peekFirst().getSrcOffset() < srcOffset) {
            judge(pending.pollFirst(), false, timestampMs);
        }
        apply(key, value);
    }

    /** Counts a record that is not a state record (it is left out of the digest). */
    public void skip() {
        skipped++;
    }

    private void apply(byte[] key, byte[] value) {
        Bytes k = Bytes.wrap(key);
        replays.values().forEach(r -> r.apply(k, value));
    }

    private void judge(Checksum c, boolean atEnd, long nextTimestampMs) {
        Replay r = replays.get(c.getDigestVersion());
        if (r == null || !comparability.exact(atEnd, nextTimestampMs)) {
            notComparable++;
            return;
        }
        DigestValue v = r.digest.value();
        if (v.matches(c.getCount(), c.getLanes())) {
            verified++;
        } else {
            mismatches.add(new VerifyReport.Mismatch(
                    partition, c.getSrcOffset(), c.getCount(), List.copyOf(c.getLanes()), v.count(), v.lanes()));
        }
    }

    /** The digest ({@link Digest#VERSION}) of the records applied so far. */
    public DigestValue digest() {
        return replays.get(Digest.VERSION).digest.value();
    }

    /** Judges the checksums left (they lie at the end of the log) and returns the partition's result. */
    public VerifyReport.PartitionResult finish(String note) {
        while (!pending.isEmpty()) {
            judge(pending.pollFirst(), true, Long.MAX_VALUE);
        }
        return new VerifyReport.PartitionResult(
                partition, source, verified, notComparable, List.copyOf(mismatches), skipped, note);
    }
}
