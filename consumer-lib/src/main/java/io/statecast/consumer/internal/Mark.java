package io.statecast.consumer.internal;

import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Progress;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of the checksums topic, decoded: the {@code changes} offset the materializer processed, the
 * state record it follows ({@code sc.stateSrcOffset}), and the checksum when it is one (null for a
 * progress mark).
 */
record Mark(long srcOffset, long stateSrc, Checksum checksum) {

    /** Decodes a checksums-topic record. @throws io.statecast.common.StatecastException when undecodable */
    static Mark read(ConsumerRecord<byte[], byte[]> r) {
        Object value = Envelopes.decodeChecksumsValue(r.value());
        long stateSrc = StatecastHeaders.readLong(r.headers(), StatecastHeaders.STATE_SRC_OFFSET, PendingMark.UNKNOWN);
        return value instanceof Checksum c
                ? new Mark(c.getSrcOffset(), stateSrc, c)
                : new Mark(((Progress) value).getSrcOffset(), stateSrc, null);
    }

    /** When this mark counts: at {@code requiredPosition}, once its state record is applied or the grace ran out. */
    PendingMark pending(long requiredPosition, long nowNanos) {
        return new PendingMark(srcOffset, requiredPosition, stateSrc, nowNanos + PendingMark.GRACE_NANOS);
    }
}
