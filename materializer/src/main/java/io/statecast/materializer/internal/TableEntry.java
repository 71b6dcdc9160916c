package io.statecast.materializer.internal;

import java.nio.ByteBuffer;

/**
 * A key's row in the table store: its current version, and the state record value bytes exactly as
 * written to {@code <ns>.state}, or none when the key is deleted. A deleted key keeps its row so a
 * re-create continues the version sequence.
 */
public record TableEntry(long version, byte[] value) {

    public boolean live() {
        return value != null;
    }

    /** Version 8 bytes, a live flag, then the value. */
    public byte[] encode() {
        int n = value == null ? 0 : value.length;
        ByteBuffer b = ByteBuffer.allocate(9 + n).putLong(version).put((byte) (value == null ? 0 : 1));
        if (value != null) {
            b.put(value);
        }
        return b.array();
    }

    public static TableEntry decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long version = b.getLong();
        if (b.get() == 0) {
            return new TableEntry(version, null);
        }
        byte[] value = new byte[b.remaining()];
        b.get(value);
        return new TableEntry(version, value);
    }
}
