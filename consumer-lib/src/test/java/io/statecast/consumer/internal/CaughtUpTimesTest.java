package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.common.EntryHash;
import io.statecast.common.StatecastException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaughtUpTimesTest {
    private static final long DAY = 86_400_000L;
    private static final long HOUR = 3_600_000L;
    private static final java.time.Duration CHECK = java.time.Duration.ofSeconds(1);
    private static final ViewSource SOURCE = new ViewSource("k8s", "k8s.state", "k8s.checksums", Set.of(), null, null);

    @Test
    void aPartitionAtItsEndIsCaughtUpWhenTheEndWasAsked() {
        Partition p = partition(0, 10, 5);
        CaughtUpTimes c = new CaughtUpTimes(() -> DAY, SOURCE, "v", CHECK);
        assertEquals(Set.of(), c.update(List.of(p), Map.of(0, 10L), 1_000, 1_200, Set.of()));
        assertEquals(1_000, p.progress.caughtUpAtMs);
    }

    @Test
    void aPartitionKeepingUpWithAStreamOfWritesIsCaughtUpAsOfThePreviousCheck() {
        Partition p = partition(0, 10, 5);
        CaughtUpTimes c = new CaughtUpTimes(() -> DAY, SOURCE, "v", CHECK);
        c.update(List.of(p), Map.of(0, 11L), 1_000, 1_000, Set.of()); // one record behind the newest end
        assertEquals(5, p.progress.caughtUpAtMs);
        p.progress.position = 12;
        c.update(List.of(p), Map.of(0, 14L), 2_000, 2_000, Set.of()); // behind again, but past the last end
        assertEquals(1_000, p.progress.caughtUpAtMs);
    }

    @Test
    void aPartitionBehindForLongerThanTheRetentionLessAMarginIsReadAgain() {
        Partition recent = partition(0, 10, 0);
        Partition old = partition(1, 10, 0);
        old.progress.caughtUpAtMs = -1; // a warm start of a partition saved before its re-read began: not judged
        CaughtUpTimes c = new CaughtUpTimes(() -> DAY, SOURCE, "v", CHECK);
        Map<Integer, Long> ends = Map.of(0, 11L, 1, 11L);
        assertEquals(Set.of(), c.update(List.of(recent, old), ends, 0, DAY - HOUR, Set.of()));
        assertEquals(Set.of(0), c.update(List.of(recent, old), ends, 0, DAY - HOUR + 1, Set.of()));
        assertEquals(Set.of(), c.update(List.of(recent, old), ends, 0, 2 * DAY, Set.of(0)), "being read again");
    }

    @Test
    void aRetentionTheBrokersDoNotGiveJudgesNothingAndIsAskedAgain() {
        Partition p = partition(0, 10, 0);
        int[] asked = {0};
        CaughtUpTimes c = new CaughtUpTimes(
                () -> {
                    if (asked[0]++ == 0) {
                        throw new StatecastException("no answer");
                    }
                    return DAY;
                },
                SOURCE,
                "v",
                CHECK);
        assertEquals(Set.of(), c.update(List.of(p), Map.of(0, 11L), 0, 2 * DAY, Set.of()));
        assertEquals(Set.of(0), c.update(List.of(p), Map.of(0, 11L), 0, 2 * DAY, Set.of()));
        c.update(List.of(p), Map.of(0, 11L), 0, 2 * DAY, Set.of());
        assertEquals(2, asked[0], "asked once more, then kept");
        c.brokersReturned();
        c.update(List.of(p), Map.of(0, 11L), 0, 2 * DAY, Set.of());
        assertEquals(3, asked[0], "asked again after an outage");
    }

    @Test
    void aRetentionShorterThanTheChecksCanTellIsJudgedOnlyPastTenChecks() {
        // delete.retention.ms = 1 s (tests set it to force compaction): ages are known to a check (1 s) only.
        Partition p = partition(0, 10, 0);
        CaughtUpTimes c = new CaughtUpTimes(() -> 1_000L, SOURCE, "v", CHECK);
        assertEquals(Set.of(), c.update(List.of(p), Map.of(0, 11L), 0, 10_000, Set.of()), "ten checks behind: not yet");
        assertEquals(Set.of(0), c.update(List.of(p), Map.of(0, 11L), 0, 10_001, Set.of()));
    }

    private static Partition partition(int id, long position, long caughtUpAtMs) {
        Partition p = new Partition(id, new PartitionTable(16, EntryHash.forVersion(2)), null);
        p.progress.position = position;
        p.progress.caughtUpAtMs = caughtUpAtMs;
        return p;
    }
}
