package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Read-your-writes on plain inputs: positions, applied srcOffsets, marks and time. */
class MarkTrackerTest {
    private static final long GRACE = PendingMark.GRACE_NANOS;

    @Test
    void aMarkCountsOnlyOnceThePositionReachedTheStableOffsetAskedAfterIt() {
        MarkTracker t = new MarkTracker();
        t.offer(new PendingMark(50, 120, PendingMark.UNKNOWN, GRACE));
        t.settle(119, 0);
        assertEquals(-1, t.seen(), "short of the stable offset: the state records it covers may not be read yet");
        t.settle(120, 0);
        assertEquals(50, t.seen());
        assertNull(t.pending());
    }

    @Test
    void aMarkNamingAStateRecordWaitsForThatRecordUntilTheGraceRunsOut() {
        MarkTracker t = new MarkTracker();
        t.applied(40);
        t.offer(new PendingMark(50, 10, 45, GRACE));
        t.settle(10, GRACE - 1);
        assertEquals(40, t.seen(), "the state record the mark follows (srcOffset 45) is not applied yet");
        t.applied(45);
        t.settle(10, GRACE - 1);
        assertEquals(50, t.seen());

        MarkTracker gone = new MarkTracker();
        gone.offer(new PendingMark(500, 0, 400, GRACE));
        gone.settle(0, GRACE - 1);
        assertEquals(-1, gone.seen());
        gone.settle(0, GRACE);
        assertEquals(
                500,
                gone.seen(),
                "a record that never shows (a cleaned tombstone): after the grace, the stable offset decides");
    }

    @Test
    void onlyTheHighestPendingMarkWaits() {
        MarkTracker t = new MarkTracker();
        PendingMark high = new PendingMark(90, 100, PendingMark.UNKNOWN, 0);
        t.offer(high);
        t.offer(new PendingMark(80, 10, PendingMark.UNKNOWN, 0));
        assertSame(high, t.pending(), "a lower mark is covered by the higher one");
        t.offer(new PendingMark(95, 200, PendingMark.UNKNOWN, 0));
        assertEquals(95, t.pending().srcOffset());
    }

    @Test
    void aRestoredPartitionHasSeenWhatItsSnapshotSaidAndAResetForgetsIt() {
        MarkTracker t = new MarkTracker();
        t.restore(30, 70);
        assertEquals(70, t.seen());
        assertEquals(30, t.applied());
        t.reset();
        assertEquals(-1, t.seen());
    }

    @Test
    void anExactComparisonNeedsTheNamedRecordApplied() {
        PendingMark named = new PendingMark(9, 0, 7, 0);
        assertTrue(named.exact(7));
        assertTrue(!named.exact(6));
        assertTrue(!new PendingMark(9, 0, PendingMark.UNKNOWN, 0).exact(100), "no header: never exact");
    }

    /**
     * Random streams of applied records, marks and settles (positions and time moving forward): what the
     * view has seen never goes back, covers every applied record, and rises through a mark only when that
     * mark was due at the settle that let it count.
     */
    @Property(tries = 300)
    void seenNeverGoesBackAndAMarkCountsOnlyWhenDue(@ForAll List<@IntRange(min = 0, max = 1_000_000) Integer> events) {
        MarkTracker t = new MarkTracker();
        List<PendingMark> offered = new ArrayList<>();
        long position = 0;
        long now = 0;
        long maxApplied = -1;
        long seen = t.seen();
        for (int e : events) {
            switch (e % 3) {
                case 0 -> {
                    long src = e / 3 % 1000;
                    t.applied(src);
                    maxApplied = Math.max(maxApplied, src);
                }
                case 1 -> {
                    long stateSrc = e % 2 == 0 ? PendingMark.UNKNOWN : e / 7 % 1000;
                    PendingMark m = new PendingMark(e / 11 % 1000, e / 13 % 300, stateSrc, now + GRACE);
                    offered.add(m);
                    t.offer(m);
                }
                default -> {
                    position += e % 20;
                    now += (e % 4) * GRACE / 3;
                    long markedBefore = t.marked();
                    t.settle(position, now);
                    if (t.marked() != markedBefore) {
                        long p = position;
                        long n = now;
                        long applied = t.applied();
                        assertTrue(
                                offered.stream().anyMatch(m -> m.srcOffset() == t.marked() && m.due(p, applied, n)),
                                "rose to " + t.marked() + " through a mark that was due");
                    }
                }
            }
            assertTrue(t.seen() >= seen, "seen went back from " + seen + " to " + t.seen());
            assertTrue(t.seen() >= maxApplied);
            seen = t.seen();
        }
    }
}
