package io.statecast.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aFixedFirstPortGivesConsecutivePorts() {
        assertEquals(List.of(19092, 19093, 19094), FreePorts.take(3, 19092));
    }

    @Test
    void ephemeralPortsAreDistinct() {
        List<Integer> ports = FreePorts.take(5, 0);
        assertEquals(5, new HashSet<>(ports).size());
        ports.forEach(p -> assertTrue(p > 0));
    }

    @Test
    void aPortHeldByAnotherSocketIsReportedInUse() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> FreePorts.requireFree("127.0.0.1", held.getLocalPort()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
