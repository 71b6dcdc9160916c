package io.statecast.materializer.internal;

import java.nio.ByteBuffer;

/**
 * A key's row in the table store: its current version, the state record value bytes exactly as written to
 * {@code <ns>.state} (none when the key is deleted), the source order of the last captured change applied to
 * it (none when no captured change touched it), and for a deleted key when it was deleted. A deleted key
 * keeps its row, so that a re-create continues the version sequence and a replayed captured delete is
 * recognized, until {@link DeletedRows} purges it (half the state topic's {@code delete.retention.ms} after
 * the delete).
 *
 * @param deletedAt when the key was deleted (epoch ms), -1 for a live row or a deleted row of a store written
 *     before deletion times were kept
 */
public record TableEntry(long version, byte[] value, SourceOrder source, long deletedAt) {
    private static final byte LIVE = 1;
    private static final byte HAS_SOURCE = 2;
    private static final byte HAS_DELETED_AT = 4;

    /** A row without a deletion time. */
    public TableEntry(long version, byte[] value, SourceOrder source) {
        this(version, value, source, -1);
    }

    /** A row without a source order. */
    public TableEntry(long version, byte[] value) {
        this(version, value, null);
    }

    public boolean live() {
        return value != null;
    }

    /**
     * Version (8 bytes), flags (1 byte: bit 0 live, bit 1 source order present, bit 2 deletion time present),
     * the source order's position and sequence (8 bytes each) when present, the deletion time (8 bytes) when
     * present, then the value. Rows written before these existed have flags 0 or 1 and read as having none.
     */
    public byte[] encode() {
        int n = value == null ? 0 : value.length;
        boolean stamped = value == null && deletedAt >= 0;
        byte flags = (byte)
                ((value == null ? 0 : LIVE) | (source == null ? 0 : HAS_SOURCE) | (stamped ? HAS_DELETED_AT : 0));
        ByteBuffer b = ByteBuffer.allocate(9 + (source == null ? 0 : 16) + (stamped ? 8 : 0) + n)
                .putLong(version)
                .put(flags);
        if (source != null) {
            b.putLong(source.position()).putLong(source.sequence());
        }
        if (stamped) {
            b.putLong(deletedAt);
        }
        if (value != null) {
            b.put(value);
        }
        return b.array();
    }

    public static TableEntry decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long version = b.getLong();
        byte flags = b.get();
        SourceOrder source = (flags & HAS_SOURCE) == 0 ? null : new SourceOrder(b.getLong(), b.getLong());
        if ((flags & LIVE) == 0) {
            return new TableEntry(version, null, source, (flags & HAS_DELETED_AT) == 0 ? -1 : b.getLong());
        }
        byte[] value = new byte[b.remaining()];
        b.get(value);
        return new TableEntry(version, value, source);
    }
}
