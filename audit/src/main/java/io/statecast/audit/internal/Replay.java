package io.statecast.audit.internal;

import io.statecast.audit.Entry;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.StateRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns a {@code state} or {@code history} record into an {@link Entry}. */
public final class Replay {
    private Replay() {
    }

    public static Entry entry(ConsumerRecord<byte[], byte[]> r) {
        String key = new String(r.key(), StandardCharsets.UTF_8);
        long version = StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1);
        long src = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
        if (r.value() == null) {
            byte[] pid = r.headers().lastHeader(StatecastHeaders.PRODUCER_ID) == null ? null
                    : r.headers().lastHeader(StatecastHeaders.PRODUCER_ID).value();
            return new Entry(key, version, r.partition(), src, Instant.ofEpochMilli(r.timestamp()),
                    pid == null ? "" : new String(pid, StandardCharsets.UTF_8), null);
        }
        StateRecord s = Envelopes.stateRecord().decode(r.value());
        ByteBuffer p = s.getPayload();
        byte[] payload = new byte[p.remaining()];
        p.duplicate().get(payload);
        return new Entry(key, s.getVersion(), r.partition(), s.getOriginOffset(), s.getUpdatedAt(), s.getProducerId(), payload);
    }
}
