package io.statecast.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionGapsTest {

    @Test
    void gaplessVersionsFromOnePerKeyHaveNoGap() {
        VersionGaps g = new VersionGaps();
        g.see(0, "a", 1);
        g.see(1, "b", 1);
        g.see(0, "a", 2);
        g.see(0, "a", 3);
        assertEquals(0, g.gaps());
    }

    @Test
    void aKeyFirstSeenAfterVersionOneOrSkippingAVersionIsAGapOfItsPartition() {
        VersionGaps g = new VersionGaps();
        g.see(0, "a", 3);
        g.see(1, "b", 1);
        g.see(1, "b", 3);
        assertEquals(2, g.gaps());
        assertTrue(g.hasGap(0));
        assertTrue(g.hasGap(1));
        assertFalse(g.hasGap(2));
    }
}
