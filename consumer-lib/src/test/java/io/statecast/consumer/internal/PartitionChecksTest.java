package io.statecast.consumer.internal;

import static io.statecast.consumer.internal.ChecksumJudgeTest.altered;
import static io.statecast.consumer.internal.ChecksumJudgeTest.checksum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.consumer.internal.ChecksumJudge.Judgement;
import io.statecast.consumer.internal.ChecksumJudge.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a partition's checksums are judged: plain positions. */
class PartitionChecksTest {
    private final ChecksumJudgeTest.Log log = new ChecksumJudgeTest.Log(64);
    private final PartitionChecks checks =
            new PartitionChecks("partition 0", log.history, log.digest, new ChecksumJudge(60_000));

    @Test
    void aChecksumWaitsUntilThePositionReachesTheWatermarkAskedAfterIt() {
        log.record(0).record(1);
        checks.offer(checksum(1, log.after.get(1)), new PendingMark(1, 100));
        assertEquals(List.of(), verdicts(99));
        assertEquals(1, checks.waiting());
        assertEquals(List.of(Verdict.VERIFIED), verdicts(100));
        assertEquals(0, checks.waiting());
    }

    @Test
    void aDueMismatchIsFinalAtOnce() {
        log.record(0).record(1);
        checks.offer(checksum(1, altered(log.after.get(1))), new PendingMark(1, 10));
        assertEquals(List.of(Verdict.HEAL), verdicts(10));
    }

    @Test
    void aSecondMismatchAfterHealingRaisesAnAlarmUntilAChecksumVerifiesAgain() {
        log.record(0);
        checks.offer(checksum(0, altered(log.after.get(0))), new PendingMark(0, 0));
        assertEquals(List.of(Verdict.HEAL), verdicts(1));
        checks.reset(); // the partition is read again: whether it heals stays
        checks.offer(checksum(0, altered(log.after.get(0))), new PendingMark(0, 0));
        assertEquals(List.of(Verdict.ALARM), verdicts(1), "no loop: an alarm instead of a second heal");
        checks.offer(checksum(0, log.after.get(0)), new PendingMark(0, 0));
        checks.offer(checksum(0, altered(log.after.get(0))), new PendingMark(0, 0));
        assertEquals(List.of(Verdict.VERIFIED, Verdict.HEAL), verdicts(1), "verified again: heals again");
    }

    @Test
    void aHealDropsTheRestOfThePartitionsChecks() {
        log.record(0).record(1);
        checks.offer(checksum(0, altered(log.after.get(0))), new PendingMark(0, 0));
        checks.offer(checksum(1, log.after.get(1)), new PendingMark(1, 0));
        assertEquals(List.of(Verdict.HEAL), verdicts(5));
        assertEquals(1, checks.waiting(), "left for the reset that re-reading the partition makes");
        checks.reset();
        assertEquals(0, checks.waiting());
    }

    private List<Verdict> verdicts(long position) {
        return checks.due(position).stream().map(Judgement::verdict).toList();
    }
}
