package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Read-your-writes on plain inputs: positions, applied srcOffsets and marks. */
class MarkTrackerTest {

    @Test
    void aMarkCountsOnlyOnceThePositionReachedTheWatermarkAskedAfterIt() {
        MarkTracker t = new MarkTracker();
        t.offer(new PendingMark(50, 120));
        t.settle(119);
        assertEquals(-1, t.seen(), "short of the watermark: the state records it covers may not be read yet");
        t.settle(120);
        assertEquals(50, t.seen());
        assertEquals(0, t.pending());
    }

    @Test
    void aStreamOfNewerMarksAheadOfTheViewNeverPostponesAnOlderOne() {
        // Each mark is read when the view is one step short of the watermark asked after it, and the next
        // mark arrives before the view gets there: a single pending slot, overwritten, never counted one.
        MarkTracker t = new MarkTracker();
        for (int i = 1; i <= 50; i++) {
            t.offer(new PendingMark(i * 10L, i * 100L));
            t.settle(i * 100L - 1);
            assertEquals((i - 1) * 10L, Math.max(0, t.seen()), "mark " + (i - 1) + " counted once passed");
        }
    }

    @Test
    void aMarkCoveringMoreForNoLongerAWaitReplacesTheOnesItMakesUseless() {
        MarkTracker t = new MarkTracker();
        t.offer(new PendingMark(10, 100));
        t.offer(new PendingMark(20, 100));
        t.offer(new PendingMark(15, 200)); // covers less than what waits: dropped
        assertEquals(1, t.pending());
        t.settle(100);
        assertEquals(20, t.seen());
    }

    @Test
    void theQueueIsBounded() {
        MarkTracker t = new MarkTracker();
        for (int i = 0; i < 2 * MarkTracker.MAX_PENDING; i++) {
            t.offer(new PendingMark(i, i + 1));
        }
        assertEquals(MarkTracker.MAX_PENDING, t.pending());
        t.settle(Long.MAX_VALUE);
        assertEquals(2L * MarkTracker.MAX_PENDING - 1, t.seen());
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

    /**
     * Random streams of applied records, marks (with watermarks that never go back) and settles: what
     * the view has seen never goes back, covers every applied record, rises through a mark only when the
     * position reached that mark's watermark, and a mark whose watermark was reached has counted.
     */
    @Property(tries = 300)
    void seenNeverGoesBackAndEveryMarkCountsWhenDue(@ForAll List<@IntRange(min = 0, max = 1_000_000) Integer> events) {
        MarkTracker t = new MarkTracker();
        List<PendingMark> offered = new ArrayList<>();
        long position = 0;
        long watermark = 0;
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
                    watermark += e % 7;
                    PendingMark m = new PendingMark(e / 11 % 1000, watermark);
                    offered.add(m);
                    t.offer(m);
                }
                default -> {
                    position += e % 20;
                    long markedBefore = t.marked();
                    t.settle(position);
                    long p = position;
                    if (t.marked() != markedBefore) {
                        assertTrue(
                                offered.stream().anyMatch(m -> m.srcOffset() == t.marked() && m.due(p)),
                                "rose to " + t.marked() + " through a mark that was due");
                    }
                    long due = offered.stream()
                            .filter(m -> m.due(p))
                            .mapToLong(PendingMark::srcOffset)
                            .max()
                            .orElse(-1);
                    assertTrue(t.seen() >= due, "a due mark of " + due + " has counted: " + t.seen());
                }
            }
            assertTrue(t.seen() >= seen, "seen went back from " + seen + " to " + t.seen());
            assertTrue(t.seen() >= maxApplied);
            seen = t.seen();
        }
    }
}
