package io.statecast.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointInTimeTest {

    @Test
    void offsetsIncludeRecordsUpToAndIncludingTheSrcOffsetOfTheirPartitionOnly() {
        PointInTime p = PointInTime.parseOffsets("0:10, 1:3");
        assertEquals(Map.of(0, 10L, 1, 3L), p.offsets());
        assertTrue(p.includes(0, 10, 0));
        assertFalse(p.includes(0, 11, 0));
        assertFalse(p.includes(1, 4, 0));
        assertTrue(p.includes(2, 1_000_000, 0), "a partition not named is taken whole");
    }

    @Test
    void timesIncludeRecordsAtOrBeforeTheInstant() {
        PointInTime p = PointInTime.parse("2026-11-24T10:00:00Z");
        long t = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();
        assertTrue(p.includes(0, 99, t));
        assertFalse(p.includes(0, 0, t + 1));
    }

    @Test
    void malformedPointsAreUsageErrorsThatShowTheExpectedForm() {
        InvalidPointException e = assertThrows(InvalidPointException.class, () -> PointInTime.parseOffsets("0=10"));
        assertTrue(e.getMessage().contains("0:120,1:98"), e.getMessage());
        assertThrows(InvalidPointException.class, () -> PointInTime.parseOffsets("a:1"));
        assertThrows(InvalidPointException.class, () -> PointInTime.parseTime("yesterday"));
    }

    @Test
    void aPartitionTheNamespaceLacksIsRejected() {
        PointInTime p = PointInTime.parseOffsets("0:1,6:2");
        InvalidPointException e = assertThrows(InvalidPointException.class, () -> p.checkPartitions(6));
        assertTrue(e.getMessage().contains("Partition 6"), e.getMessage());
        PointInTime.parseOffsets("5:2").checkPartitions(6);
    }
}
