package io.statecast.consumer.internal;

import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Progress;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceProgress;
import io.statecast.schemas.SliceValueDigest;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of the checksums topic, decoded: the {@code changes} offset the materializer processed, and the
 * checksum when it is one (null for a progress mark). Its {@code sc.stateSrcOffset} header is not needed
 * ({@link PendingMark}).
 */
record Mark(long srcOffset, Checksum checksum) {

    /** Decodes a checksums-topic record. @throws io.statecast.common.StatecastException when undecodable */
    static Mark read(ConsumerRecord<byte[], byte[]> r) {
        Object value = Envelopes.decodeChecksumsValue(r.value());
        return value instanceof Checksum c
                ? new Mark(c.getSrcOffset(), c)
                : new Mark(((Progress) value).getSrcOffset(), null);
    }

    /** A mark and the source partition it speaks for (-1: a mark the view does not use). */
    record Sourced(int source, Mark mark) {}

    /**
     * Decodes a record of a slice's checksums topic. A {@code SliceChecksum} becomes a {@link Checksum} of
     * the view's own values only: the sum of their digests in the record (a value it does not list has
     * none), which is what the view's table of that source partition must hold. The digests of other
     * values are read past, never kept. A progress mark of a back-fill still under way is not used.
     *
     * @throws io.statecast.common.StatecastException when undecodable
     */
    static Sourced readSlice(ConsumerRecord<byte[], byte[]> r, SliceSelection slice) {
        Object value = Envelopes.decodeSliceChecksumsValue(r.value());
        if (value instanceof SliceProgress p) {
            // During a back-fill, records of one srcOffset can follow a mark of it: such a mark proves nothing.
            return new Sourced(p.getBackfilled() ? p.getSrcPartition() : -1, new Mark(p.getSrcOffset(), null));
        }
        SliceChecksum c = (SliceChecksum) value;
        long count = 0;
        long lane0 = 0;
        long lane1 = 0;
        for (SliceValueDigest v : c.getValues()) {
            if (slice.keeps(v.getValue()) && v.getLanes().size() == 2) {
                count += v.getCount();
                lane0 += v.getLanes().get(0);
                lane1 += v.getLanes().get(1);
            }
        }
        Checksum own = Checksum.newBuilder()
                .setPartition(c.getPartition())
                .setSrcOffset(c.getSrcOffset())
                .setCount(count)
                .setDigestVersion(c.getDigestVersion())
                .setLanes(List.of(lane0, lane1))
                .setEmittedAt(c.getEmittedAt())
                .build();
        return new Sourced(c.getSrcPartition(), new Mark(c.getSrcOffset(), own));
    }

    /** When this mark counts: at {@code requiredPosition} (see {@link PendingMark}). */
    PendingMark pending(long requiredPosition) {
        return new PendingMark(srcOffset, requiredPosition);
    }
}
