package io.statecast.consumer.internal;

import io.statecast.common.RecordDecodingException;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.StateRecord;
import java.nio.ByteBuffer;

/**
 * Turns the bytes a view reads or stores into the user's values. Namespace views read {@code StateRecord}
 * envelopes whose payload is the user's record; plain-topic views read the user's record directly.
 * Stored bytes are the bytes read unless a transform rewrote them (then they are a bare payload).
 */
final class ValueCodec<V> {
    private final AvroCodec<V> payloads;
    private final boolean envelope;
    /** The last payload fingerprint prepared (most records share one schema). */
    private long lastPrepared;

    ValueCodec(AvroCodec<V> payloads, boolean envelope) {
        this.payloads = payloads;
        this.envelope = envelope;
    }

    /**
     * Resolves the writer schema of the payload inside bytes as read, ahead of decoding them under the
     * view's lock: a schema not known yet is looked for in the schemas topic here, where waiting stalls
     * only the poll thread, never the readers. Undecodable bytes are left to the apply, which counts them.
     * Poll thread only.
     */
    void prepare(byte[] bytes) {
        try {
            long fp = envelope
                    ? AvroCodec.fingerprint(Envelopes.payloadOfStateRecord(bytes))
                    : AvroCodec.fingerprint(bytes);
            if (fp != lastPrepared && payloads.prepare(fp)) {
                lastPrepared = fp;
            }
        } catch (RuntimeException e) {
            // undecodable, or the schemas topic unreadable: the apply skips and counts the record
        }
    }

    /** The value inside bytes as read from the topic. */
    V decodeRead(byte[] bytes) {
        return payloads.decode(envelope ? payload(bytes) : bytes);
    }

    /** The value of stored bytes. */
    V decodeStored(byte[] bytes, boolean raw) {
        return raw ? decodeRead(bytes) : payloads.decode(bytes);
    }

    byte[] encodeStored(V value) {
        return payloads.encode(value);
    }

    /** Cheap validity check for views that do not decode on apply: a known envelope or payload fingerprint. */
    void checkHeader(byte[] bytes) {
        long fp = AvroCodec.fingerprint(bytes);
        long expected = envelope ? Envelopes.stateRecord().schemaFingerprint() : payloads.schemaFingerprint();
        if (fp != expected && envelope) {
            Envelopes.stateRecord().decode(bytes); // an older released StateRecord version still decodes
        } else if (fp != expected) {
            payloads.decode(bytes);
        }
    }

    private static byte[] payload(byte[] stateRecord) {
        StateRecord r = Envelopes.stateRecord().decode(stateRecord);
        ByteBuffer p = r.getPayload();
        if (p == null) {
            throw new RecordDecodingException("state record without payload");
        }
        byte[] out = new byte[p.remaining()];
        p.duplicate().get(out);
        return out;
    }
}
