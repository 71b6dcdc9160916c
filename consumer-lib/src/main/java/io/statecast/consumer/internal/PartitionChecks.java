package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.consumer.internal.ChecksumJudge.Judgement;
import io.statecast.consumer.internal.ChecksumJudge.Verdict;
import io.statecast.schemas.Checksum;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The checksums of one partition on their way to a verdict. Each waits until it is comparable (its
 * {@link PendingMark} is due), then is judged. A mismatch is first only a suspicion: a transaction's
 * commit markers reach its partitions one by one, so a view can read a checksum whose state records
 * still sit behind an unwritten marker. A checksum that names the state record it follows
 * ({@code sc.stateSrcOffset}) and was compared once that record was applied gets its final verdict at
 * once. Any other mismatch is a suspect, judged again, finally, once the view has applied a state
 * record with a later srcOffset (then every record up to the checksum's is in), or after the grace at
 * a freshly asked last stable offset.
 */
final class PartitionChecks {
    /** The state partition's last stable offset, asked now; null when the broker did not answer in time. */
    interface StableEnd {
        Long ask();
    }

    private record Waiting(Checksum checksum, PendingMark when) {}

    /** A mismatching checksum, judged again once decisive or due; requiredPosition -1 until asked. */
    private record Suspect(Checksum checksum, long dueNanos, long requiredPosition) {}

    private final String where;
    private final DigestHistory history;
    private final Digest digest;
    private final ChecksumJudge judge;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final ArrayDeque<Suspect> suspects = new ArrayDeque<>();
    /** A mismatch healed and no checksum verified since: a second mismatch raises an alarm instead. */
    private boolean healing;

    /**
     * @param where the partition, for log lines and alarms ("partition 3")
     * @param digest the partition's digest: its version is the one checksums must have
     */
    PartitionChecks(String where, DigestHistory history, Digest digest, ChecksumJudge judge) {
        this.where = where;
        this.history = history;
        this.digest = digest;
        this.judge = judge;
    }

    /** A checksum was read; it is judged once {@code when} is due. */
    void offer(Checksum c, PendingMark when) {
        waiting.add(new Waiting(c, when));
    }

    /**
     * Judges the checksums that became comparable, oldest first, then the suspects that became decisive
     * or due. Stops after a {@link Verdict#HEAL}: the partition is re-read, its other checksums dropped.
     */
    List<Judgement> due(long position, long appliedSrc, long nowNanos, StableEnd stable) {
        List<Judgement> out = null;
        Waiting w;
        while ((w = waiting.peek()) != null && w.when().due(position, appliedSrc, nowNanos)) {
            waiting.poll();
            Judgement j = judge(w.checksum(), w.when().exact(appliedSrc), nowNanos);
            out = add(out, j);
            if (j.verdict() == Verdict.HEAL) {
                return out;
            }
        }
        Suspect s;
        while ((s = suspects.peek()) != null
                && (appliedSrc > s.checksum().getSrcOffset() || ripe(position, nowNanos, stable))) {
            suspects.poll();
            Judgement j = judge(s.checksum(), true, nowNanos);
            out = add(out, j);
            if (j.verdict() == Verdict.HEAL) {
                return out;
            }
        }
        return out == null ? List.of() : out;
    }

    // The head suspect, not decisive, is judged after the grace once the view reached the stable offset
    // asked then (asked once; again after the next poll when the broker did not answer).
    private boolean ripe(long position, long nowNanos, StableEnd stable) {
        Suspect s = suspects.peek();
        if (nowNanos - s.dueNanos() < 0) {
            return false;
        }
        if (s.requiredPosition() < 0) {
            Long end = stable.ask();
            if (end == null) {
                return false;
            }
            suspects.poll();
            s = new Suspect(s.checksum(), s.dueNanos(), end);
            suspects.addFirst(s);
        }
        return position >= s.requiredPosition();
    }

    private Judgement judge(Checksum c, boolean finalVerdict, long nowNanos) {
        Judgement j = judge.judge(where, c, history, digest.version(), finalVerdict, healing);
        switch (j.verdict()) {
            case VERIFIED -> healing = false;
            case SUSPECT -> suspects.add(new Suspect(c, nowNanos + PendingMark.GRACE_NANOS, -1));
            case HEAL -> healing = true;
            default -> {
                // ALARM, NOT_COMPARABLE: nothing changes here
            }
        }
        return j;
    }

    private static List<Judgement> add(List<Judgement> out, Judgement j) {
        List<Judgement> list = out == null ? new ArrayList<>(2) : out;
        list.add(j);
        return list;
    }

    /** The partition is read again: its checksums are dropped; whether it is healing stays. */
    void reset() {
        waiting.clear();
        suspects.clear();
    }

    /** Checksums waiting to be comparable, and suspects (for tests and status). */
    int waiting() {
        return waiting.size();
    }

    int suspects() {
        return suspects.size();
    }
}
