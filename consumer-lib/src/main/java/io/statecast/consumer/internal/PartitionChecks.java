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
 * {@link PendingMark} is due: the view's position passed the high watermark asked after the checksum was
 * read, so every state record it covers is applied), then is judged, once and finally. A mismatch heals
 * the partition (it is read again), unless it healed already and no checksum verified it since: then an
 * alarm.
 */
final class PartitionChecks {
    private record Waiting(Checksum checksum, PendingMark when) {}

    private final String where;
    private final DigestHistory history;
    private final Digest digest;
    private final ChecksumJudge judge;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
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
     * Judges the checksums that became comparable at this position, oldest first. Stops after a
     * {@link Verdict#HEAL}: the partition is re-read, its other checksums dropped.
     */
    List<Judgement> due(long position) {
        List<Judgement> out = null;
        Waiting w;
        while ((w = waiting.peek()) != null && w.when().due(position)) {
            waiting.poll();
            Judgement j = judge(w.checksum());
            out = add(out, j);
            if (j.verdict() == Verdict.HEAL) {
                return out;
            }
        }
        return out == null ? List.of() : out;
    }

    private Judgement judge(Checksum c) {
        Judgement j = judge.judge(where, c, history, digest.version(), healing);
        switch (j.verdict()) {
            case VERIFIED -> healing = false;
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
    }

    /** Checksums waiting to be comparable (for tests and status). */
    int waiting() {
        return waiting.size();
    }
}
