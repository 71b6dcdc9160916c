package io.statecast.consumer.internal;

import static io.statecast.consumer.internal.ChecksumJudgeTest.altered;
import static io.statecast.consumer.internal.ChecksumJudgeTest.checksum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.consumer.internal.ChecksumJudge.Judgement;
import io.statecast.consumer.internal.ChecksumJudge.Verdict;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When a partition's checksums are judged, and how a suspect becomes a verdict: plain positions and time. */
class PartitionChecksTest {
    private static final long GRACE = PendingMark.GRACE_NANOS;
    private static final PartitionChecks.StableEnd NOT_ASKED = () -> {
        throw new AssertionError("the stable offset is asked only for a suspect past the grace");
    };

    private final ChecksumJudgeTest.Log log = new ChecksumJudgeTest.Log(64);
    private final PartitionChecks checks =
            new PartitionChecks("partition 0", log.history, log.digest, new ChecksumJudge(60_000));

    @Test
    void aChecksumWaitsUntilThePositionReachesTheStableOffsetAskedAfterIt() {
        log.record(0).record(1);
        checks.offer(checksum(1, log.after.get(1)), mark(1, 100, PendingMark.UNKNOWN));
        assertEquals(List.of(), verdicts(99, 1, 0));
        assertEquals(1, checks.waiting());
        assertEquals(List.of(Verdict.VERIFIED), verdicts(100, 1, 0));
        assertEquals(0, checks.waiting());
    }

    @Test
    void aChecksumNamingItsStateRecordWaitsForItAndItsMismatchIsFinalAtOnce() {
        log.record(0).record(1);
        checks.offer(checksum(2, altered(log.after.get(1))), mark(2, 0, 2));
        assertEquals(List.of(), verdicts(10, 1, 0), "srcOffset 2 not applied yet");
        log.record(2);
        assertEquals(List.of(Verdict.HEAL), verdicts(10, 2, 0));
    }

    @Test
    void anInexactMismatchIsASuspectThatALaterRecordClears() {
        // The checksum covers srcOffsets up to 3, but records 2 and 3 still sit behind an unwritten commit
        // marker when it is compared: a false mismatch, unless judged again once a later record is in.
        log.record(0).record(1);
        ChecksumJudgeTest.Log truth =
                new ChecksumJudgeTest.Log(64).record(0).record(1).record(2).record(3);
        checks.offer(checksum(3, truth.after.get(3)), mark(3, 0, PendingMark.UNKNOWN));
        assertEquals(List.of(Verdict.SUSPECT), verdicts(10, 1, 0));
        assertEquals(1, checks.suspects());
        assertEquals(List.of(), verdicts(10, 1, 1), "not decisive, not past the grace");
        log.record(2).record(3).record(4);
        assertEquals(List.of(Verdict.VERIFIED), verdicts(20, 4, 2), "a later record is in: every record up to 3 is");
        assertEquals(0, checks.suspects());
    }

    @Test
    void aSuspectPastTheGraceAsksTheStableOffsetOnceAndIsJudgedWhenThePositionReachesIt() {
        log.record(0).record(1);
        checks.offer(checksum(1, altered(log.after.get(1))), mark(1, 0, PendingMark.UNKNOWN));
        assertEquals(List.of(Verdict.SUSPECT), verdicts(10, 1, 0));
        AtomicInteger asked = new AtomicInteger();
        assertEquals(List.of(), due(10, 1, GRACE - 1, () -> {
            asked.incrementAndGet();
            return 50L;
        }));
        assertEquals(0, asked.get(), "within the grace nothing is asked");
        assertEquals(List.of(), due(10, 1, GRACE, () -> {
            asked.incrementAndGet();
            return null; // the broker did not answer: asked again after the next poll
        }));
        PartitionChecks.StableEnd fifty = () -> {
            asked.incrementAndGet();
            return 50L;
        };
        assertEquals(List.of(), due(49, 1, GRACE, fifty));
        assertEquals(List.of(), due(49, 1, GRACE + 1, fifty));
        assertEquals(2, asked.get(), "asked until it answered, then never again");
        assertEquals(List.of(Verdict.HEAL), due(50, 1, GRACE + 2, fifty));
    }

    @Test
    void aSecondMismatchAfterHealingRaisesAnAlarmUntilAChecksumVerifiesAgain() {
        log.record(0);
        checks.offer(checksum(0, altered(log.after.get(0))), mark(0, 0, 0));
        assertEquals(List.of(Verdict.HEAL), verdicts(1, 0, 0));
        checks.reset(); // the partition is read again: whether it heals stays
        checks.offer(checksum(0, altered(log.after.get(0))), mark(0, 0, 0));
        assertEquals(List.of(Verdict.ALARM), verdicts(1, 0, 0), "no loop: an alarm instead of a second heal");
        checks.offer(checksum(0, log.after.get(0)), mark(0, 0, 0));
        checks.offer(checksum(0, altered(log.after.get(0))), mark(0, 0, 0));
        assertEquals(List.of(Verdict.VERIFIED, Verdict.HEAL), verdicts(1, 0, 0), "verified again: heals again");
    }

    @Test
    void aHealDropsTheRestOfThePartitionsChecks() {
        log.record(0).record(1);
        checks.offer(checksum(0, altered(log.after.get(0))), mark(0, 0, 0));
        checks.offer(checksum(1, log.after.get(1)), mark(1, 0, 1));
        assertEquals(List.of(Verdict.HEAL), verdicts(5, 1, 0));
        assertEquals(1, checks.waiting(), "left for the reset that re-reading the partition makes");
        checks.reset();
        assertEquals(0, checks.waiting());
    }

    private static PendingMark mark(long src, long requiredPosition, long stateSrc) {
        return new PendingMark(src, requiredPosition, stateSrc, GRACE);
    }

    private List<Verdict> verdicts(long position, long appliedSrc, long nowNanos) {
        return due(position, appliedSrc, nowNanos, NOT_ASKED);
    }

    private List<Verdict> due(long position, long appliedSrc, long nowNanos, PartitionChecks.StableEnd stable) {
        return checks.due(position, appliedSrc, nowNanos, stable).stream()
                .map(Judgement::verdict)
                .toList();
    }
}
