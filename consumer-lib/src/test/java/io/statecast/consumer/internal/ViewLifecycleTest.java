package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ViewLifecycleTest {

    @Property(tries = 50)
    void alarmsAreBoundedToTheNewestAndSayHowManyWereDropped(@ForAll @IntRange(min = 0, max = 1000) int raised) {
        ViewLifecycle life = new ViewLifecycle();
        for (int i = 0; i < raised; i++) {
            life.alarm("alarm " + i);
        }
        List<String> alarms = life.alarms();
        int kept = Math.min(raised, ViewLifecycle.MAX_ALARMS);
        int dropped = raised - kept;
        assertEquals(kept + (dropped > 0 ? 1 : 0), alarms.size());
        if (dropped > 0) {
            assertTrue(alarms.get(0).startsWith(dropped + " older alarm(s) dropped"), alarms.get(0));
        }
        if (raised > 0) {
            assertEquals("alarm " + (raised - 1), alarms.get(alarms.size() - 1), "the newest is kept");
        }
    }
}
