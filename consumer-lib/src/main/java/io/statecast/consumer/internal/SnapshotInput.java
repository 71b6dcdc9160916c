package io.statecast.consumer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The body of a snapshot file read through a reusable 1 MB buffer, checksummed (CRC32C) as it is read,
 * so that a restart reads the file once. Lengths read from the file are checked against what is left
 * before anything is sized by them. The buffer is direct: a channel reads into a heap buffer through a
 * temporary direct one, one more copy of the whole file.
 */
final class SnapshotInput {
    private final java.nio.channels.FileChannel ch;
    private final CRC32C crc = new CRC32C();
    private boolean wholeFileChecked;
    private long unread; // body bytes not yet in the buffer
    private long filePos;
    private ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).flip();

    SnapshotInput(java.nio.channels.FileChannel ch, long bodyLength) {
        this.ch = ch;
        this.unread = bodyLength;
    }

    long remaining() {
        return buf.remaining() + unread;
    }

    private void ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        if (n > buf.remaining() + unread) {
            throw new java.io.EOFException();
        }
        if (n > buf.capacity()) {
            buf = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2)).put(buf).flip(); // rare: an entry over 1 MB
        }
        buf.compact();
        while (buf.position() < n) {
            int want = (int) Math.min(buf.remaining(), unread);
            ByteBuffer slice = buf.slice(buf.position(), want);
            int read = ch.read(slice, filePos);
            if (read <= 0) {
                throw new java.io.EOFException();
            }
            crc.update(slice.flip());
            buf.position(buf.position() + read);
            filePos += read;
            unread -= read;
        }
        buf.flip();
    }

    /** Whether the whole file's CRC32C matches its trailer, in a separate pass (made once). */
    boolean wholeFileMatches() throws IOException {
        if (!wholeFileChecked) {
            long size = ch.size();
            CRC32C whole = new CRC32C();
            wholeFileChecked = checksum(whole, 0, size - 8) == size - 8
                    && Long.valueOf(whole.getValue()).equals(trailer(size));
        }
        return wholeFileChecked;
    }

    // Adds the file's bytes [from, to) to crc; returns where it stopped (short of to when the file is).
    private long checksum(CRC32C c, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long pos = from;
        while (pos < to) {
            b.clear().limit((int) Math.min(b.capacity(), to - pos));
            int read = ch.read(b, pos);
            if (read <= 0) {
                break;
            }
            c.update(b.flip());
            pos += read;
        }
        return pos;
    }

    /** The CRC32C the file ends with, or null when it cannot be read whole. */
    private Long trailer(long size) throws IOException {
        ByteBuffer t = ByteBuffer.allocate(8);
        while (t.hasRemaining() && ch.read(t, size - 8 + t.position()) > 0) {
            // positional reads until the 8 bytes are in
        }
        return t.hasRemaining() ? null : t.flip().getLong();
    }

    /** Reads what is left of the body into the checksum; whether it matches the file's trailer. */
    boolean restMatches(long size) throws IOException {
        long end = filePos + unread;
        long reached = checksum(crc, filePos, end);
        unread -= reached - filePos;
        filePos = reached;
        return reached == end && Long.valueOf(crc.getValue()).equals(trailer(size));
    }

    int getInt() throws IOException {
        ensure(4);
        return buf.getInt();
    }

    long getLong() throws IOException {
        ensure(8);
        return buf.getLong();
    }

    byte get() throws IOException {
        ensure(1);
        return buf.get();
    }

    byte[] array(int n) throws IOException {
        ensure(n);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }
}
