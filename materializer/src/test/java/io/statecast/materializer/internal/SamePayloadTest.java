package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.schemas.Envelopes;
import io.statecast.schemas.StateRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-place payload comparison of no-op suppression agrees with a full decode of the state record. */
class SamePayloadTest {
    @Test
    void inPlaceComparisonAgreesWithDecoding() {
        Random r = new Random(17);
        for (int i = 0; i < 5_000; i++) {
            byte[] payload = new byte[r.nextInt(i % 10 == 0 ? 20_000 : 300)];
            r.nextBytes(payload);
            byte[] state = Envelopes.stateRecord()
                    .encode(StateRecord.newBuilder()
                            .setPayload(ByteBuffer.wrap(payload))
                            .setVersion(r.nextInt(1000) + 1)
                            .setUpdatedAt(Instant.ofEpochMilli(r.nextLong() >>> 20))
                            .setOriginPartition(r.nextInt(6))
                            .setOriginOffset(r.nextInt(1 << 20))
                            .setProducerId("p" + r.nextInt(9))
                            .build());
            byte[] other = switch (r.nextInt(4)) {
                case 0 -> payload.clone();
                case 1 -> Arrays.copyOf(payload, Math.max(0, payload.length - 1 - r.nextInt(3)));
                case 2 -> Arrays.copyOf(payload, payload.length + 1 + r.nextInt(3));
                default -> {
                    byte[] o = payload.clone();
                    if (o.length > 0) {
                        o[r.nextInt(o.length)] ^= (byte) (1 + r.nextInt(255));
                    }
                    yield o;
                }
            };
            boolean expected =
                    Envelopes.stateRecord().decode(state).getPayload().equals(ByteBuffer.wrap(other));
            assertEquals(expected, ApplyProcessor.samePayload(state, ByteBuffer.wrap(other)), "case " + i);
        }
    }
}
