package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The warm-restart file of a view: format version, state topic and its topic id, when it was written,
 * and per partition its position, offsets, digest, entries and filtered-out entry hashes; a CRC32C of
 * everything ends it. Written to a temporary file and renamed atomically, so a crash leaves the old
 * snapshot or the new one, never half of one.
 */
public final class SnapshotFile {
    static final int FORMAT = 1;
    private static final int MAGIC = 0x53435350; // "SCSP"

    private SnapshotFile() {
    }

    /** One partition's saved state. */
    public record Part(int partition, long position, long appliedSrcOffset, long markSrcOffset, DigestValue digest,
            List<byte[][]> entries, List<byte[]> rawFlags, List<Object[]> foreign) {
    }

    /** A whole snapshot. */
    public record Snapshot(int format, String topic, long topicIdHigh, long topicIdLow, long writtenAtMs, List<Part> parts) {
    }

    /** Why a snapshot cannot be used. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason);
        }
    }

    public static void write(Path file, Snapshot s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(s.format());
        bytes(out, s.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.writeLong(s.topicIdHigh());
        out.writeLong(s.topicIdLow());
        out.writeLong(s.writtenAtMs());
        out.writeInt(s.parts().size());
        for (Part p : s.parts()) {
            writePart(out, p);
        }
        out.flush();
        CRC32C crc = new CRC32C();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.getParent());
        Files.write(tmp, ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writePart(DataOutputStream out, Part p) throws IOException {
        out.writeInt(p.partition());
        out.writeLong(p.position());
        out.writeLong(p.appliedSrcOffset());
        out.writeLong(p.markSrcOffset());
        out.writeLong(p.digest().count());
        out.writeLong(p.digest().lane0());
        out.writeLong(p.digest().lane1());
        out.writeInt(p.entries().size());
        for (int i = 0; i < p.entries().size(); i++) {
            byte[][] e = p.entries().get(i);
            bytes(out, e[0]);
            out.writeBoolean(p.rawFlags().get(i)[0] == 1);
            bytes(out, e[1]);
        }
        out.writeInt(p.foreign().size());
        for (Object[] f : p.foreign()) {
            bytes(out, (byte[]) f[0]);
            out.writeLong((Long) f[1]);
            out.writeLong((Long) f[2]);
        }
    }

    public static Snapshot read(Path file) throws IOException, Invalid {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 16) {
            throw new Invalid("corrupt file (too short)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new Invalid("corrupt file (checksum of the file does not match)");
        }
        // A ByteBuffer over the file: a stream's per-call synchronization costs seconds at 1M entries.
        ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 8);
        try {
            if (in.getInt() != MAGIC) {
                throw new Invalid("not a Statecast snapshot");
            }
            int format = in.getInt();
            if (format != FORMAT) {
                throw new Invalid("format version " + format + ", this library reads " + FORMAT);
            }
            String topic = new String(bytes(in), java.nio.charset.StandardCharsets.UTF_8);
            long hi = in.getLong();
            long lo = in.getLong();
            long writtenAt = in.getLong();
            int n = in.getInt();
            List<Part> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                parts.add(readPart(in));
            }
            return new Snapshot(format, topic, hi, lo, writtenAt, parts);
        } catch (java.nio.BufferUnderflowException e) {
            throw new Invalid("corrupt file (truncated)");
        }
    }

    private static final byte[] RAW = {1};
    private static final byte[] NOT_RAW = {0};

    private static Part readPart(ByteBuffer in) throws IOException {
        int partition = in.getInt();
        long position = in.getLong();
        long applied = in.getLong();
        long mark = in.getLong();
        DigestValue d = new DigestValue(in.getLong(), in.getLong(), in.getLong());
        int n = in.getInt();
        List<byte[][]> entries = new ArrayList<>(n);
        List<byte[]> raw = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] k = bytes(in);
            raw.add(in.get() == 1 ? RAW : NOT_RAW);
            entries.add(new byte[][] {k, bytes(in)});
        }
        int f = in.getInt();
        List<Object[]> foreign = new ArrayList<>(f);
        for (int i = 0; i < f; i++) {
            foreign.add(new Object[] {bytes(in), in.getLong(), in.getLong()});
        }
        return new Part(partition, position, applied, mark, d, entries, raw, foreign);
    }

    /** Whether the entries (raw ones by their bytes, the others by their hashes) add up to the saved digest. */
    public static boolean digestAgrees(Part p) {
        Digest d = new Digest();
        for (int i = 0; i < p.entries().size(); i++) {
            if (p.rawFlags().get(i)[0] == 1) {
                d.add(p.entries().get(i)[0], p.entries().get(i)[1]);
            }
        }
        p.foreign().forEach(f -> d.addHash((Long) f[1], (Long) f[2]));
        return d.value().equals(p.digest());
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(ByteBuffer in) throws IOException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IOException("corrupt length " + n);
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
