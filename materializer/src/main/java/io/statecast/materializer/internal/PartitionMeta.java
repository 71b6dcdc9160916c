package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import java.nio.ByteBuffer;

/**
 * What the materializer remembers per partition, in a changelogged store so it survives restarts:
 * the digest of the state partition, the last processed {@code changes} offset, and the last offset
 * a state record, progress mark or checksum has covered.
 */
public final class PartitionMeta {
    final Digest digest;
    long lastSrcOffset;
    long coveredSrcOffset;

    PartitionMeta(Digest digest, long lastSrcOffset, long coveredSrcOffset) {
        this.digest = digest;
        this.lastSrcOffset = lastSrcOffset;
        this.coveredSrcOffset = coveredSrcOffset;
    }

    static PartitionMeta empty() {
        return new PartitionMeta(new Digest(), -1, -1);
    }

    byte[] encode() {
        DigestValue v = digest.value();
        return ByteBuffer.allocate(40).putLong(v.count()).putLong(v.lane0()).putLong(v.lane1())
                .putLong(lastSrcOffset).putLong(coveredSrcOffset).array();
    }

    static PartitionMeta decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Digest d = Digest.of(new DigestValue(b.getLong(), b.getLong(), b.getLong()));
        return new PartitionMeta(d, b.getLong(), b.getLong());
    }
}
