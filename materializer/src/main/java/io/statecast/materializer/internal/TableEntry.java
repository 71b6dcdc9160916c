package io.statecast.materializer.internal;

import java.nio.ByteBuffer;

/**
 * A key's row in the table store: its current version, the state record value bytes exactly as written to
 * {@code <ns>.state} (none when the key is deleted), and the source order of the last captured change
 * applied to it (none when no captured change touched it). A deleted key keeps its row so a re-create
 * continues the version sequence and a replayed delete is recognized.
 */
public record TableEntry(long version, byte[] value, SourceOrder source) {
    private static final byte LIVE = 1;
    private static final byte HAS_SOURCE = 2;

    /** A row without a source order. */
    public TableEntry(long version, byte[] value) {
        this(version, value, null);
    }

    public boolean live() {
        return value != null;
    }

    /**
     * Version (8 bytes), flags (1 byte: bit 0 live, bit 1 source order present), the source order's position
     * and sequence (8 bytes each) when present, then the value. Rows written before source orders existed
     * have flags 0 or 1 and read as having none.
     */
    public byte[] encode() {
        int n = value == null ? 0 : value.length;
        byte flags = (byte) ((value == null ? 0 : LIVE) | (source == null ? 0 : HAS_SOURCE));
        ByteBuffer b = ByteBuffer.allocate(9 + (source == null ? 0 : 16) + n)
                .putLong(version)
                .put(flags);
        if (source != null) {
            b.putLong(source.position()).putLong(source.sequence());
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
            return new TableEntry(version, null, source);
        }
        byte[] value = new byte[b.remaining()];
        b.get(value);
        return new TableEntry(version, value, source);
    }
}
