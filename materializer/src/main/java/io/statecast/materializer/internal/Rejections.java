package io.statecast.materializer.internal;

import io.statecast.schemas.Rejection;
import java.nio.ByteBuffer;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@code Rejection} record of a refused input. */
final class Rejections {
    private Rejections() {}

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
}
