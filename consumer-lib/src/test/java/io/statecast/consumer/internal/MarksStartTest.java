package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class MarksStartTest {

    @Property
    void aMarksPartitionIsReadFromInsideItsLogAndFromBeforeItsLastMarker(
            @ForAll @LongRange(min = 0, max = 1_000_000) long begin,
            @ForAll @LongRange(min = 0, max = 100) long length) {
        long end = begin + length;
        long start = ViewConsumer.marksStart(begin, end);
        assertTrue(start >= begin && start <= end, "inside the log: " + start);
        assertEquals(Math.min(length, ViewConsumer.MARKS_BACK), end - start, "as far back as the log allows");
        if (length >= 2) {
            assertTrue(start <= end - 2, "before the last transaction's marker and its mark");
        }
    }
}
