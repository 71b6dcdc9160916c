package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.consumer.ViewStats;
import io.statecast.schemas.Checksum;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the materializer's checksums with the view's own digest history and classifies each:
 * verified, mismatched (→ that partition alone is re-read; a second mismatch before any verified
 * checksum raises an alarm instead of looping) or not comparable (another digest version, a point
 * outside the history window, or a point where the compacted log no longer shows the state).
 *
 * <p>A mismatch is first only a suspicion. A transaction's commit markers reach its partitions one by
 * one: a view can read a checksum whose transaction is committed on the checksums partition while the
 * state records of that same transaction still sit behind an unwritten marker, invisible, and the last
 * stable offset it waited for stops short of them. Seen in the chaos suite (all views at once, after a
 * broker restart). A checksum that names the state record it follows ({@code sc.stateSrcOffset}) is
 * compared once that record is applied, and its verdict is final. One without the header (an older
 * materializer), or whose record the view has not seen within {@link #GRACE_NANOS}, mismatching is only
 * a suspicion: it is judged again, finally, once the view has applied a state record with a later
 * srcOffset (then every record up to the checksum's is in), or after the grace at a freshly asked last
 * stable offset.
 */
final class Verifier {
    private static final Logger log = LoggerFactory.getLogger(Verifier.class);
    static final long GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final ViewEngine<?> engine;
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong mismatched = new AtomicLong();
    private final AtomicLong notComparable = new AtomicLong();
    private final AtomicLong heals = new AtomicLong();
    private final AtomicLong alarms = new AtomicLong();
    long minCompactionLagMs;

    Verifier(ViewEngine<?> engine) {
        this.engine = engine;
    }

    /** Classifies the partition's checksums that became comparable (called under the write lock). */
    void checkDue(PartitionState ps) {
        PartitionState.PendingCheck p;
        while ((p = ps.pendingChecks.peek()) != null
                && ps.position >= p.requiredPosition()
                && ps.reached(p.stateSrc(), p.deadlineNanos())) {
            ps.pendingChecks.poll();
            // With the state record it follows applied, the comparison is exact: a mismatch is final.
            boolean exact = p.stateSrc() != PartitionState.UNKNOWN && ps.appliedSrcOffset >= p.stateSrc();
            if (classify(ps, p.checksum(), exact)) {
                return; // the partition is being re-read: its other pending checks are gone
            }
        }
        PartitionState.Suspect s;
        while ((s = ps.suspects.peek()) != null) {
            boolean decisive = ps.appliedSrcOffset > s.checksum().getSrcOffset();
            if (!decisive) {
                if (System.nanoTime() < s.dueNanos()) {
                    return;
                }
                if (s.requiredPosition() < 0) {
                    Long stable = engine.stableEnd(ps.partition);
                    if (stable == null) {
                        return; // no answer: asked again after the next poll
                    }
                    ps.suspects.poll();
                    s = new PartitionState.Suspect(s.checksum(), s.dueNanos(), stable);
                    ps.suspects.addFirst(s);
                }
                if (ps.position < s.requiredPosition()) {
                    return;
                }
            }
            ps.suspects.poll();
            if (classify(ps, s.checksum(), true)) {
                return;
            }
        }
    }

    /** Returns true when the partition was sent to re-bootstrap. */
    private boolean classify(PartitionState ps, Checksum c, boolean finalVerdict) {
        if (c.getDigestVersion() != Digest.VERSION) {
            notComparable.incrementAndGet();
            return false;
        }
        DigestHistory.At at = ps.history.at(c.getSrcOffset(), minCompactionLagMs);
        if (at.lookup() != DigestHistory.Lookup.FOUND) {
            notComparable.incrementAndGet();
            return false;
        }
        if (at.digest().matches(c.getCount(), c.getLanes())) {
            verified.incrementAndGet();
            ps.healing = false;
            return false;
        }
        if (!finalVerdict) {
            ps.suspects.add(new PartitionState.Suspect(c, System.nanoTime() + GRACE_NANOS, -1));
            return false;
        }
        mismatched.incrementAndGet();
        String what = "partition " + ps.partition + " at srcOffset " + c.getSrcOffset() + ": checksum count="
                + c.getCount() + " lanes=" + c.getLanes() + ", view " + at.digest();
        if (ps.healing) {
            alarms.incrementAndGet();
            engine.raiseAlarm("second checksum mismatch after re-reading " + what + "; not re-reading again");
            return false;
        }
        heals.incrementAndGet();
        ps.healing = true;
        log.warn("{} checksum mismatch on {}; re-reading that partition only", engine.logId(), what);
        engine.rebootstrapLater(ps.partition);
        return true;
    }

    ViewStats.Checks checks() {
        return new ViewStats.Checks(verified.get(), mismatched.get(), notComparable.get(), heals.get(), alarms.get());
    }
}
