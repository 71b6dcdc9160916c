package io.statecast.audit.internal;

import io.statecast.audit.Entry;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.StateRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reads {@code state} and {@code history} records as {@link Entry}s. */
public final class StateRecords {
    private StateRecords() {}

    /**
     * The record's srcOffset header, or -1 when the record was not written by the materializer
     * (no {@code sc.version}/{@code sc.srcOffset} headers, or no key): such records are skipped and counted.
     */
    public static long srcOffset(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1) < 1) {
            return -1;
        }
        return StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
    }

    /** The record as an entry, or null when it is not a state record (see {@link #srcOffset}) or does not decode. */
    public static Entry entry(ConsumerRecord<byte[], byte[]> r) {
        long src = srcOffset(r);
        if (src < 0) {
            return null;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        long version = StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1);
        if (r.value() == null) {
            return new Entry(
                    key, version, r.partition(), src, Instant.ofEpochMilli(r.timestamp()), producerId(r), null);
        }
        StateRecord s;
        try {
            s = Envelopes.stateRecord().decode(r.value());
        } catch (StatecastException e) {
            return null;
        }
        return new Entry(
                key,
                s.getVersion(),
                r.partition(),
                s.getOriginOffset(),
                s.getUpdatedAt(),
                s.getProducerId(),
                bytes(s.getPayload()));
    }

    private static String producerId(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(StatecastHeaders.PRODUCER_ID);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The remaining bytes of a buffer, copied. */
    public static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
