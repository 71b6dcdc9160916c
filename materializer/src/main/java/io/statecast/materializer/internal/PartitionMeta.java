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
    /**
     * The highest version of a deleted row purged from the table ({@link DeletedRows}), 0 when none: a key the
     * table does not hold gets version floor + 1, more than any version it had before its row was purged.
     */
    long versionFloor;

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

    /**
     * 64 bytes: count, lane0, lane1, lastSrcOffset, coveredSrcOffset, stateSrcOffset, digest version, version
     * floor (longs).
     */
    byte[] encode() {
        DigestValue v = digest.value();
        return ByteBuffer.allocate(64)
                .putLong(v.count())
                .putLong(v.lane0())
                .putLong(v.lane1())
                .putLong(lastSrcOffset)
                .putLong(coveredSrcOffset)
                .putLong(stateSrcOffset)
                .putLong(digest.version())
                .putLong(versionFloor)
                .array();
    }

    /**
     * Rows of 40 bytes predate stateSrcOffset ({@link #UNKNOWN}), rows of 48 the digest version (1), rows of 56
     * the version floor (0: nothing was purged before).
     */
    static PartitionMeta decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        DigestValue v = new DigestValue(b.getLong(), b.getLong(), b.getLong());
        long last = b.getLong();
        long covered = b.getLong();
        long state = b.remaining() >= 8 ? b.getLong() : UNKNOWN;
        int version = b.remaining() >= 8 ? (int) b.getLong() : 1;
        PartitionMeta m = new PartitionMeta(Digest.of(EntryHash.forVersion(version), v), last, covered, state);
        m.versionFloor = b.remaining() >= 8 ? b.getLong() : 0;
        return m;
    }
}
