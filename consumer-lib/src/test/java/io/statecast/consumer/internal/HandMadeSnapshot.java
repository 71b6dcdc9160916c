package io.statecast.consumer.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/** Snapshot files written byte by byte, for formats and contents {@link SnapshotWriter#write} would not produce. */
final class HandMadeSnapshot {
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private HandMadeSnapshot() {}

    /** Magic, format, the body, then the CRC32C trailer over all of it. */
    static Path write(Path file, int format, Body body) throws IOException {
        CRC32C crc = new CRC32C();
        try (var raw = Files.newOutputStream(file)) {
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            out.writeInt(0x53435350);
            out.writeInt(format);
            body.write(out);
            out.flush();
            raw.write(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
        }
        return file;
    }

    static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
