package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.consumer.internal.ChecksumJudge.Verdict;
import io.statecast.schemas.Checksum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A checksum against the view's digest history: which verdict, on plain inputs. */
class ChecksumJudgeTest {
    private static final ChecksumJudge JUDGE = new ChecksumJudge(1_000);

    /** A partition's log as the view applied it: one record per srcOffset given, the digest after each. */
    static final class Log {
        final Digest digest = new Digest();
        final DigestHistory history;
        final List<Long> srcs = new ArrayList<>();
        final List<DigestValue> after = new ArrayList<>();

        Log(int capacity) {
            history = new DigestHistory(capacity);
        }

        Log record(long src) {
            return record(src, 0, 0);
        }

        Log record(long src, long writtenAt, long readAt) {
            digest.add(Pods.key("pod-" + src % 7), Pods.key("value-" + src));
            history.record(src, writtenAt, readAt, digest);
            srcs.add(src);
            after.add(digest.value());
            return this;
        }
    }

    static Checksum checksum(long src, DigestValue d) {
        return Checksum.newBuilder()
                .setPartition(0)
                .setSrcOffset(src)
                .setCount(d.count())
                .setLanes(List.of(d.lane0(), d.lane1()))
                .setDigestVersion(Digest.VERSION)
                .setEmittedAt(Instant.EPOCH)
                .build();
    }

    static DigestValue altered(DigestValue d) {
        return new DigestValue(d.count(), d.lane0() + 1, d.lane1());
    }

    @Test
    void aChecksumIsComparedWithTheDigestAfterTheLastRecordAtOrBeforeItsPoint() {
        Log log = new Log(64).record(0).record(2).record(4); // srcOffsets 1 and 3: rejected or no-op changes
        assertEquals(Verdict.VERIFIED, verdict(log, checksum(3, log.after.get(1)), false));
        assertEquals(Verdict.VERIFIED, verdict(log, checksum(4, log.after.get(2)), false));
        assertEquals(Verdict.HEAL, verdict(log, checksum(3, log.after.get(2)), false));
    }

    @Test
    void anotherDigestVersionIsNotComparable() {
        Log log = new Log(64).record(0);
        Checksum c = checksum(0, log.after.get(0));
        c.setDigestVersion(Digest.VERSION + 1);
        assertEquals(Verdict.NOT_COMPARABLE, verdict(log, c, false));
    }

    @Test
    void aPointOutsideTheHistoryWindowIsNotComparable() {
        Log log = new Log(4);
        for (int src = 0; src < 10; src++) {
            log.record(src);
        }
        assertEquals(Verdict.NOT_COMPARABLE, verdict(log, checksum(2, log.after.get(2)), false));
        assertEquals(Verdict.NOT_COMPARABLE, verdict(log, checksum(2, altered(log.after.get(2))), false));
        assertEquals(Verdict.VERIFIED, verdict(log, checksum(8, log.after.get(8)), false), "inside the window");
    }

    @Test
    void aPointTheCompactedLogNoLongerShowsIsNotComparableNeverAMismatch() {
        // The record after srcOffset 1 was read 5 s after it was written, past min.compaction.lag.ms = 1 s:
        // the cleaner may have dropped records the materializer's digest at srcOffset 1 still counted.
        Log log = new Log(64)
                .record(0, 0, 10)
                .record(1, 0, 10)
                .record(2, 0, 5_000)
                .record(3, 4_900, 5_000);
        assertEquals(Verdict.NOT_COMPARABLE, verdict(log, checksum(1, altered(log.after.get(1))), false));
        assertEquals(Verdict.VERIFIED, verdict(log, checksum(2, log.after.get(2)), false), "read within the lag");
        assertEquals(Verdict.VERIFIED, verdict(log, checksum(3, log.after.get(3)), false), "the end: exact");
    }

    @Test
    void aViewWhoseClockRunsBehindTheBrokersStillSeesWhereTheCleanerMayHaveBeen() {
        // The view's clock is 60 s behind the broker's (record timestamps are the broker's). The record after
        // srcOffset 1 was read 2 s after it was written, past the 1 s lag, though by the view's clock it
        // seems to come from the future.
        Log log = new Log(64)
                .record(0, 100_000, 40_010) // read 10 ms after it was written
                .record(1, 100_000, 40_010)
                .record(2, 100_000, 42_000)
                .record(3, 101_950, 42_000);
        assertEquals(Verdict.NOT_COMPARABLE, verdict(log, checksum(1, altered(log.after.get(1))), false));
        assertEquals(Verdict.VERIFIED, verdict(log, checksum(2, log.after.get(2)), false), "read within the lag");
    }

    /**
     * Whatever the skew between the view's clock and the broker's, a point is judged exact only if the
     * record after it was read within the lag by the broker's clock (given one record read the moment it was
     * written, so that the skew can be seen).
     */
    @Property(tries = 500)
    void aPointIsJudgedExactOnlyIfTheNextRecordWasReadWithinTheLagByTheBrokersClock(
            @ForAll @Size(min = 1) List<@IntRange(min = 0, max = 3_000) Integer> latencies,
            @ForAll @IntRange(min = -100_000, max = 100_000) int viewBehindMs,
            @ForAll @IntRange(min = 0, max = 1_000) int at) {
        Log log = new Log(1_000);
        List<Integer> lat = new ArrayList<>(latencies);
        lat.add(0); // the freshest record
        long written = 1_000_000;
        for (int l : lat) {
            written += 100;
            log.record(log.srcs.size(), written, written + l - viewBehindMs);
        }
        int i = at % (lat.size() - 1);
        DigestHistory.At a = log.history.at(i, 1_000);
        if (a.lookup() == DigestHistory.Lookup.FOUND) {
            assertTrue(
                    lat.get(i + 1) <= 1_000,
                    "judged exact at " + i + ", the next record read " + lat.get(i + 1)
                            + " ms after it was written, view " + viewBehindMs + " ms behind");
        }
    }

    @Test
    void aMismatchIsAHealOrAfterHealingAnAlarm() {
        Log log = new Log(64).record(0);
        Checksum wrong = checksum(0, altered(log.after.get(0)));
        assertEquals(Verdict.HEAL, verdict(log, wrong, false));
        ChecksumJudge.Judgement alarm = JUDGE.judge("partition 3", wrong, log.history, log.digest.version(), true);
        assertEquals(Verdict.ALARM, alarm.verdict());
        assertTrue(alarm.detail().startsWith("partition 3 at srcOffset 0: checksum count=1"), alarm.detail());
    }

    /**
     * A view that applied the log correctly: a checksum of the true digest at any point verifies or is
     * not comparable (outside a small window), never mismatches; one with a lane off never verifies.
     */
    @Property(tries = 300)
    void aCorrectViewNeverMismatchesAndADivergentOneNeverVerifies(
            @ForAll List<@IntRange(min = 1, max = 3) Integer> gaps,
            @ForAll @IntRange(min = 1, max = 40) int capacity,
            @ForAll @IntRange(min = 0, max = 1000) int at) {
        Log log = new Log(capacity);
        long src = 0;
        for (int gap : gaps) {
            log.record(src += gap);
        }
        if (log.srcs.isEmpty()) {
            return;
        }
        int i = at % log.srcs.size();
        long point = log.srcs.get(i);
        assertNotEquals(Verdict.HEAL, verdict(log, checksum(point, log.after.get(i)), false));
        Verdict v = verdict(log, checksum(point, log.after.get(i)), false);
        assertTrue(
                v == Verdict.VERIFIED || (v == Verdict.NOT_COMPARABLE && i < log.srcs.size() - capacity),
                v + " at " + i);
        Verdict wrong = verdict(log, checksum(point, altered(log.after.get(i))), false);
        assertTrue(wrong == Verdict.HEAL || wrong == Verdict.NOT_COMPARABLE, wrong.toString());
    }

    private static Verdict verdict(Log log, Checksum c, boolean healing) {
        return JUDGE.judge("partition 0", c, log.history, log.digest.version(), healing)
                .verdict();
    }
}
