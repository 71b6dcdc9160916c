package io.statecast.consumer.internal;

import io.statecast.schemas.Checksum;

/**
 * Judges one checksum of the materializer against the view's digest history: the digest after the last
 * applied record whose srcOffset ≤ the checksum's. A checksum is not comparable under another digest
 * version, at a point outside the history window, or at a point the compacted log no longer shows (the
 * record after it was read more than the state topic's {@code min.compaction.lag.ms} after it was
 * written). A checksum is judged only once every state record it covers is applied ({@link PendingMark}),
 * so a mismatch is final: it heals the partition (re-read it), unless it already healed and no checksum
 * verified it since: then an alarm, and no loop.
 */
final class ChecksumJudge {
    /** What a checksum says about a partition. */
    enum Verdict {
        VERIFIED,
        /** A final mismatch: re-read the partition. */
        HEAL,
        /** A final mismatch right after healing: raise an alarm, do not re-read again. */
        ALARM,
        NOT_COMPARABLE
    }

    /** A verdict and what it is about (the mismatch, or why the checksum was not comparable). */
    record Judgement(Verdict verdict, String detail) {}

    private static final Judgement VERIFIED = new Judgement(Verdict.VERIFIED, "");

    private final long minCompactionLagMs;

    /** @param minCompactionLagMs the state topic's {@code min.compaction.lag.ms} */
    ChecksumJudge(long minCompactionLagMs) {
        this.minCompactionLagMs = minCompactionLagMs;
    }

    /**
     * @param where the partition, for the verdict's detail ("partition 3")
     * @param digestVersion the version of the partition's digest (and its history)
     * @param healing whether the partition was re-read after a mismatch and no checksum verified it since
     */
    Judgement judge(String where, Checksum c, DigestHistory history, int digestVersion, boolean healing) {
        if (c.getDigestVersion() != digestVersion) {
            return notComparable(
                    "digest version " + c.getDigestVersion() + ", this partition computes " + digestVersion);
        }
        DigestHistory.At at = history.at(c.getSrcOffset(), minCompactionLagMs);
        if (at.lookup() != DigestHistory.Lookup.FOUND) {
            return notComparable("srcOffset " + c.getSrcOffset() + ": " + at.lookup());
        }
        if (at.digest().matches(c.getCount(), c.getLanes())) {
            return VERIFIED;
        }
        String what = where + " at srcOffset " + c.getSrcOffset() + ": checksum count=" + c.getCount() + " lanes="
                + c.getLanes() + ", view " + at.digest();
        return new Judgement(healing ? Verdict.ALARM : Verdict.HEAL, what);
    }

    private static Judgement notComparable(String why) {
        return new Judgement(Verdict.NOT_COMPARABLE, why);
    }
}
