package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.materializer.PartitionCountChangedException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitionGuardTest {
    private final AtomicInteger countNow = new AtomicInteger(3);
    private final PartitionGuard guard = new PartitionGuard("ns.changes", 3, Set.of(1), countNow::get);

    @Property
    void aKeyBelongsWhereKafkasProducerPutsIt(@ForAll String key, @ForAll @IntRange(min = 1, max = 64) int partitions) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        assertEquals(BuiltInPartitioner.partitionForKey(k, partitions), PartitionGuard.partition(k, partitions));
    }

    @Test
    void aChangeInItsKeysPartitionPasses() {
        byte[] key = "node-1".getBytes(StandardCharsets.UTF_8);
        assertNull(guard.misplaced(key, PartitionGuard.partition(key, 3)));
    }

    @Test
    void aChangeInAnotherPartitionWhileTheCountIsUnchangedIsRejectedWithWhereItBelongs() {
        byte[] key = "node-1".getBytes(StandardCharsets.UTF_8);
        int right = PartitionGuard.partition(key, 3);
        String why = guard.misplaced(key, (right + 1) % 3);
        assertTrue(why.contains("belongs in partition " + right + " of ns.changes"), why);
    }

    @Test
    void aChangeInAnotherPartitionAfterTheTopicGrewHalts() {
        byte[] key = "node-1".getBytes(StandardCharsets.UTF_8);
        countNow.set(4);
        PartitionCountChangedException e = assertThrows(
                PartitionCountChangedException.class,
                () -> guard.misplaced(key, (PartitionGuard.partition(key, 3) + 1) % 3));
        assertEquals(3, e.was());
        assertEquals(4, e.now());
        assertNull(guard.misplaced(key, PartitionGuard.partition(key, 3)), "keys that did not move pass");
    }

    @Test
    void aTaskOfAPartitionBeyondTheCountAtStartHalts() {
        guard.checkTask(2);
        countNow.set(4);
        assertEquals(
                4,
                assertThrows(PartitionCountChangedException.class, () -> guard.checkTask(3))
                        .now());
        assertTrue(guard.populated(1));
    }
}
