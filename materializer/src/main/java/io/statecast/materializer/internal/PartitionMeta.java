package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import java.nio.ByteBuffer;

/**
 * What the materializer remembers per partition, in a changelogged store so it survives restarts:
 * the digest of the state partition (and its version), the last processed {@code changes} offset, the
 * last offset a state record, progress mark or checksum has covered, and the srcOffset of the last
 * state record.
 */
public final class PartitionMeta {
    Digest digest;
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

    static PartitionMeta empty(EntryHash hash) {
        return new PartitionMeta(new Digest(hash), -1, -1, -1);
    }

    /** 56 bytes: count, lane0, lane1, lastSrcOffset, coveredSrcOffset, stateSrcOffset, digest version (longs). */
    byte[] encode() {
        DigestValue v = digest.value();
        return ByteBuffer.allocate(56)
                .putLong(v.count())
                .putLong(v.lane0())
                .putLong(v.lane1())
                .putLong(lastSrcOffset)
                .putLong(coveredSrcOffset)
                .putLong(stateSrcOffset)
                .putLong(digest.version())
                .array();
    }

    /** Rows of 40 bytes predate stateSrcOffset ({@link #UNKNOWN}), rows of 48 the digest version (1). */
    static PartitionMeta decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        DigestValue v = new DigestValue(b.getLong(), b.getLong(), b.getLong());
        long last = b.getLong();
        long covered = b.getLong();
        long state = b.remaining() >= 8 ? b.getLong() : UNKNOWN;
        int version = b.remaining() >= 8 ? (int) b.getLong() : 1;
        return new PartitionMeta(Digest.of(EntryHash.forVersion(version), v), last, covered, state);
    }
}
