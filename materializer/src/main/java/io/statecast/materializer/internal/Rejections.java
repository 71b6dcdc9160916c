package io.statecast.materializer.internal;

import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@code Rejection} record of a refused input, small enough for the rejections topic. */
final class Rejections {
    private Rejections() {}

    /** The Kafka key and the encoded value of a rejection record. */
    record Fitted(byte[] key, byte[] value) {}

    static Rejection of(Validation.Outcome outcome, RecordMetadata md, byte[] key, byte[] raw, Clock clock) {
        return Rejection.newBuilder()
                .setReason(outcome.reason())
                .setMessage(outcome.message())
                .setTopic(md.topic())
                .setPartition(md.partition())
                .setOffset(md.offset())
                .setRawKey(key == null ? null : ByteBuffer.wrap(key))
                .setRawValue(raw == null ? null : ByteBuffer.wrap(raw))
                .setCurrentVersion(outcome.currentVersion())
                .setRejectedAt(clock.instant())
                .build();
    }

    /**
     * The rejection of {@code raw}, its raw bytes cut (and the message saying so) when the record would be
     * over {@code limit}: a rejection that does not fit would fail the task on every retry. A key too large
     * for it even with no raw bytes is cut too, and the record goes without a Kafka key.
     */
    static Fitted fitting(
            Validation.Outcome outcome, RecordMetadata md, byte[] key, byte[] raw, Clock clock, int limit) {
        Rejection r = of(outcome, md, key, raw, clock);
        byte[] value = Envelopes.rejection().encode(r);
        int over = RecordSize.of(key, value, null) - limit;
        if (over <= 0) {
            return new Fitted(key, value);
        }
        int rawLength = raw == null ? 0 : raw.length;
        String note = " (rawValue: the first %d of " + rawLength + " bytes)";
        int keep = Math.max(0, rawLength - over - note.length() - 16);
        r.setRawValue(raw == null ? null : ByteBuffer.wrap(raw, 0, keep).slice());
        r.setMessage(outcome.message() + String.format(note, keep));
        value = Envelopes.rejection().encode(r);
        over = RecordSize.of(key, value, null) - limit;
        if (over <= 0 || key == null) {
            return new Fitted(key, value);
        }
        int keyKeep = Math.max(0, key.length - over - 16); // the key left in rawKey; the record has none
        r.setRawKey(ByteBuffer.wrap(Arrays.copyOf(key, keyKeep)));
        r.setMessage(r.getMessage() + " (rawKey: the first " + keyKeep + " of " + key.length + " bytes)");
        return new Fitted(null, Envelopes.rejection().encode(r));
    }
}
