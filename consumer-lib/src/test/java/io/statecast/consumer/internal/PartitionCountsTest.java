package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.StatecastHeaders;
import io.statecast.common.TopicMismatchException;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class PartitionCountsTest {
    private static final String STATE = "k.state";
    private static final String CHANGES = "k.changes";

    @Test
    void stateAndChangesOfDifferentCountsAreRefusedAtStart() {
        TopicMismatchException e = assertThrows(
                TopicMismatchException.class,
                () -> new PartitionCounts(Map.of(STATE, 3, CHANGES, 2), STATE, CHANGES, 3));
        assertTrue(e.getMessage().contains("has 3 partitions, k.changes 2"), e.getMessage());
    }

    @Test
    void aTopicThatCouldNotBeDescribedIsNotCompared() {
        PartitionCounts c = new PartitionCounts(Map.of(STATE, 3), STATE, CHANGES, 3); // changes not authorized
        assertDoesNotThrow(() -> c.check(Map.of(STATE, 3)));
        assertDoesNotThrow(() -> c.check(Map.of()));
    }

    @Test
    void aCountThatChangedAfterStartFails() {
        PartitionCounts c = new PartitionCounts(Map.of(STATE, 2, CHANGES, 2), STATE, CHANGES, 2);
        assertDoesNotThrow(() -> c.check(Map.of(STATE, 2, CHANGES, 2)));
        TopicMismatchException e =
                assertThrows(TopicMismatchException.class, () -> c.check(Map.of(STATE, 3, CHANGES, 2)));
        assertTrue(e.getMessage().contains("'k.state' went from 2 to 3 partitions"), e.getMessage());
    }

    @Test
    void aMarkOfAnotherCountFailsAndOneWithoutTheHeaderPasses() {
        PartitionCounts c = new PartitionCounts(Map.of(STATE, 3, CHANGES, 3), STATE, CHANGES, 3);
        RecordHeaders none = new RecordHeaders();
        assertDoesNotThrow(() -> c.checkMark(none, "k.checksums-0"));
        assertDoesNotThrow(() -> c.checkMark(header(3), "k.checksums-0"));
        TopicMismatchException e =
                assertThrows(TopicMismatchException.class, () -> c.checkMark(header(2), "k.checksums-1"));
        assertTrue(
                e.getMessage().contains("materializer runs with 2 (sc.partitions of a mark in k.checksums-1)"),
                e.getMessage());
    }

    private static RecordHeaders header(int n) {
        RecordHeaders h = new RecordHeaders();
        h.add(StatecastHeaders.PARTITIONS, StatecastHeaders.encodeLong(n));
        return h;
    }
}
