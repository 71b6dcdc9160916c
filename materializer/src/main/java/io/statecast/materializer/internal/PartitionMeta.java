package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import java.nio.ByteBuffer;

/**
 * What the materializer remembers per partition, in a changelogged store so it survives restarts:
 * the digest of the state partition, the last processed {@code changes} offset, the last offset
 * a state record, progress mark or checksum has covered, and the srcOffset of the last state record.
 */
public final class PartitionMeta {
    final Digest digest;
    long lastSrcOffset;
    long coveredSrcOffset;
    /** srcOffset of the last state record or tombstone; -1 when none, {@link #UNKNOWN} in a row written before it was kept. */
    long stateSrcOffset;

    static final long UNKNOWN = Long.MIN_VALUE;

    PartitionMeta(Digest digest, long lastSrcOffset, long coveredSrcOffset, long stateSrcOffset) {
        this.digest = digest;
        this.lastSrcOffset = lastSrcOffset;
        this.coveredSrcOffset = coveredSrcOffset;
        this.stateSrcOffset = stateSrcOffset;
    }

    static PartitionMeta empty() {
        return new PartitionMeta(new Digest(), -1, -1, -1);
    }

    byte[] encode() {
        DigestValue v = digest.value();
        return ByteBuffer.allocate(48)
                .putLong(v.count())
                .putLong(v.lane0())
                .putLong(v.lane1())
                .putLong(lastSrcOffset)
                .putLong(coveredSrcOffset)
                .putLong(stateSrcOffset)
                .array();
    }

    static PartitionMeta decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Digest d = Digest.of(new DigestValue(b.getLong(), b.getLong(), b.getLong()));
        return new PartitionMeta(
                d, b.getLong(), b.getLong(), b.remaining() >= 8 ? b.getLong() : UNKNOWN); // 40-byte rows predate it
    }
}
