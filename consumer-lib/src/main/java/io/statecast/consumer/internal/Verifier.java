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
 */
final class Verifier {
    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

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
        while (!ps.pendingChecks.isEmpty() && ps.position >= ps.pendingChecks.peek().requiredPosition()) {
            if (classify(ps, ps.pendingChecks.poll().checksum())) {
                return; // the partition is being re-read: its other pending checks are gone
            }
        }
    }

    /** Returns true when the partition was sent to re-bootstrap. */
    private boolean classify(PartitionState ps, Checksum c) {
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
        mismatched.incrementAndGet();
        String what = "partition " + ps.partition + " at srcOffset " + c.getSrcOffset() + ": checksum count=" + c.getCount()
                + " lanes=" + c.getLanes() + ", view " + at.digest();
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
