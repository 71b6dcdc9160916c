package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.StatecastException;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.StateRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The test seam's divergences: the table leaves the log's digest, and still agrees with its own. */
class DivergenceTest {

    @Test
    void eachKindMakesTheTableDifferFromTheLogWhileItsEntriesAndDigestStillAgree() {
        for (Divergence kind : Divergence.values()) {
            PartitionTable t = new PartitionTable(16);
            byte[] a = record(1);
            put(t, "a", a);
            put(t, "b", record(2));
            long[] h = t.digest.entryHash().of(Pods.key("c"), record(3)); // a filtered-out entry
            t.foreign.put(Pods.key("c"), h[0], h[1]);
            t.digest.addHash(h[0], h[1]);
            DigestValue log = t.digest.value();
            kind.apply(t, Pods.key(kind.atHome() ? (kind == Divergence.ADD_FOREIGN_ENTRY ? "x" : "c") : "a"), a);
            assertNotEquals(log, t.digest.value(), kind.name());
            assertEquals(recomputed(t), t.digest.value(), kind + ": the view agrees with itself");
        }
    }

    @Test
    void droppingAFilteredEntryThatIsNotOneIsAClearError() {
        assertThrows(
                StatecastException.class,
                () -> Divergence.DROP_FILTERED_ENTRY.apply(new PartitionTable(4), Pods.key("none"), null));
    }

    private static void put(PartitionTable t, String key, byte[] value) {
        t.entries.put(Pods.key(key), value);
        t.digest.add(Pods.key(key), value);
    }

    private static DigestValue recomputed(PartitionTable t) {
        Digest d = new Digest();
        t.entries.forEach((k, v) -> d.add(k, v));
        t.foreign.forEach((fp, h0, h1) -> d.addHash(h0, h1));
        return d.value();
    }

    private static byte[] record(int version) {
        return Envelopes.stateRecord()
                .encode(StateRecord.newBuilder()
                        .setPayload(ByteBuffer.wrap(Pods.bytes(Pods.pod("p", "node-1", version))))
                        .setVersion(version)
                        .setUpdatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                        .setOriginPartition(0)
                        .setOriginOffset(version)
                        .setProducerId("test")
                        .build());
    }
}
