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

    /**
     * Rewrites the file's format field (its layout unchanged from format 5 to 6) and its CRC32C to match:
     * a file the writer of that format would have refused, with a checksum that cannot tell.
     */
    static void reformat(Path file, int format) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer.wrap(b).putInt(4, format);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        Files.write(file, b);
    }

    /** The digest a writer saves with these entries (those flagged raw) and filtered-out hashes. */
    static io.statecast.common.DigestValue digestOf(
            int version, java.util.List<byte[][]> entries, java.util.List<byte[]> raw, java.util.List<long[]> foreign) {
        io.statecast.common.Digest d =
                new io.statecast.common.Digest(io.statecast.common.EntryHash.forVersion(version));
        for (int i = 0; i < entries.size(); i++) {
            if (raw.get(i)[0] == 1) {
                d.add(entries.get(i)[0], entries.get(i)[1]);
            }
        }
        foreign.forEach(f -> d.addHash(f[1], f[2]));
        return d.value();
    }

    static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
