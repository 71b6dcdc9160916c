package io.statecast.consumer.internal;

import io.statecast.common.DigestValue;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.kafka.common.Uuid;

/**
 * The warm-restart file of a view: format version, state topic and its topic id, when it was written,
 * and per partition its position, offsets, digest, entries and filtered-out entry hashes; a CRC32C of
 * everything ends it. Written to a temporary file and renamed atomically, so a crash leaves the old
 * snapshot or the new one, never half of one.
 *
 * <p>Format 2 stores each entry exactly as {@link EntryTable} holds it ({@code int32 keyLength ‖ key ‖
 * value}), so a restart streams the file through a small buffer into the table, one array per entry,
 * with no intermediate copies ({@link #stream}). Format 3 stores each filtered-out entry's hash under
 * its key's 64-bit fingerprint ({@link ForeignHashes}) instead of the key; format 2 files are still
 * read (their keys are fingerprinted on the way in); format 1 files are refused (a full bootstrap
 * follows). Format 4 adds each partition's digest version after its digest (formats 2 and 3 hold
 * version 1 digests).
 */
public final class SnapshotFile {
    static final int FORMAT = 4;
    private static final int OLDEST_READ = 2;
    private static final int MAGIC = 0x53435350; // "SCSP"

    private SnapshotFile() {}

    /** One partition's saved state; {@code foreign} holds {fingerprint, h0, h1} triples. */
    public record Part(
            int partition,
            long position,
            long appliedSrcOffset,
            long markSrcOffset,
            DigestValue digest,
            List<byte[][]> entries,
            List<byte[]> rawFlags,
            List<long[]> foreign) {}

    /** A whole snapshot; every part's digest is of {@code digestVersion} (as read: the first part's). */
    public record Snapshot(
            int format,
            String topic,
            long topicIdHigh,
            long topicIdLow,
            long writtenAtMs,
            int digestVersion,
            List<Part> parts) {}

    /** What the file starts with: format, the state topic and its id, when it was written, how many partitions. */
    record Header(int format, String topic, long topicIdHigh, long topicIdLow, long writtenAtMs, int partitions) {}

    /** What each partition starts with: its position, offsets, digest (and its version), how many entries follow. */
    record PartHeader(
            int partition,
            long position,
            long appliedSrcOffset,
            long markSrcOffset,
            DigestValue digest,
            int digestVersion,
            int entries) {}

    /** Why a snapshot cannot be used. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason);
        }
    }

    /** Writes a snapshot given as records, in the current format (tools and tests); views save theirs with {@link #save}. */
    public static void write(Path file, Snapshot s) throws IOException {
        Header h = new Header(
                FORMAT,
                s.topic(),
                s.topicIdHigh(),
                s.topicIdLow(),
                s.writtenAtMs(),
                s.parts().size());
        writeFile(file, h, out -> {
            for (Part p : s.parts()) {
                writePart(out, p, s.digestVersion());
            }
        });
    }

    /**
     * Writes a view's picture in the current format, streaming each entry from its table as it is stored:
     * no copy of the table is built in memory.
     */
    static void save(Path file, SnapshotImage image) throws IOException {
        Uuid id = image.topicId();
        Header h = new Header(
                FORMAT,
                image.topic(),
                id.getMostSignificantBits(),
                id.getLeastSignificantBits(),
                image.writtenAtMs(),
                image.parts().size());
        writeFile(file, h, out -> {
            for (SnapshotImage.Part p : image.parts()) {
                writeState(out, p);
            }
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void writeFile(Path file, Header header, Body body) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        try (java.io.OutputStream raw = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            DataOutputStream out = new DataOutputStream(new java.util.zip.CheckedOutputStream(raw, crc));
            out.writeInt(MAGIC);
            out.writeInt(header.format());
            bytes(out, header.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.writeLong(header.topicIdHigh());
            out.writeLong(header.topicIdLow());
            out.writeLong(header.writtenAtMs());
            out.writeInt(header.partitions());
            body.write(out);
            out.flush();
            raw.write(ByteBuffer.allocate(8).putLong(crc.getValue()).array()); // the trailer: outside the checksum
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeState(DataOutputStream out, SnapshotImage.Part p) throws IOException {
        out.writeInt(p.partition());
        out.writeLong(p.position());
        out.writeLong(p.appliedSrcOffset());
        out.writeLong(p.markSrcOffset());
        DigestValue d = p.digest();
        out.writeLong(d.count());
        out.writeLong(d.lane0());
        out.writeLong(d.lane1());
        out.writeInt(p.digestVersion());
        out.writeInt(p.entries().size());
        ForeignHashes foreign = p.foreign();
        try {
            p.entries().forEachPacked(e -> {
                try {
                    out.writeInt(e.length);
                    out.writeBoolean(foreign.isEmpty() || !foreign.contains(EntryTable.keyOf(e)));
                    out.write(e);
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            });
            out.writeInt(foreign.size());
            foreign.forEach((fp, h0, h1) -> {
                try {
                    out.writeLong(fp);
                    out.writeLong(h0);
                    out.writeLong(h1);
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            });
        } catch (java.io.UncheckedIOException x) {
            throw x.getCause();
        }
    }

    private static void writePart(DataOutputStream out, Part p, int digestVersion) throws IOException {
        out.writeInt(p.partition());
        out.writeLong(p.position());
        out.writeLong(p.appliedSrcOffset());
        out.writeLong(p.markSrcOffset());
        out.writeLong(p.digest().count());
        out.writeLong(p.digest().lane0());
        out.writeLong(p.digest().lane1());
        out.writeInt(digestVersion);
        out.writeInt(p.entries().size());
        for (int i = 0; i < p.entries().size(); i++) {
            byte[][] e = p.entries().get(i);
            out.writeInt(4 + e[0].length + e[1].length); // the packed entry: int32 keyLength ‖ key ‖ value
            out.writeBoolean(p.rawFlags().get(i)[0] == 1);
            out.writeInt(e[0].length);
            out.write(e[0]);
            out.write(e[1]);
        }
        out.writeInt(p.foreign().size());
        for (long[] f : p.foreign()) {
            out.writeLong(f[0]);
            out.writeLong(f[1]);
            out.writeLong(f[2]);
        }
    }

    /** Reads a whole snapshot into records (tools and tests); views stream theirs with {@link #stream}. */
    public static Snapshot read(Path file) throws IOException, Invalid {
        Collector c = new Collector();
        stream(file, c);
        return c.snapshot();
    }

    // Collects what stream hands over into records (one parser for every format).
    private static final class Collector implements Sink {
        private final List<Part> parts = new ArrayList<>();
        private Header header;
        private int digestVersion = 1;
        private Part part;

        @Override
        public void header(Header h) {
            header = h;
        }

        @Override
        public void partStart(PartHeader p) {
            if (parts.isEmpty()) {
                digestVersion = p.digestVersion();
            }
            part = new Part(
                    p.partition(),
                    p.position(),
                    p.appliedSrcOffset(),
                    p.markSrcOffset(),
                    p.digest(),
                    new ArrayList<>(p.entries()),
                    new ArrayList<>(p.entries()),
                    new ArrayList<>());
        }

        @Override
        public void entry(byte[] packed, boolean raw) {
            part.entries().add(new byte[][] {EntryTable.keyOf(packed), EntryTable.valueOf(packed)});
            part.rawFlags().add(raw ? RAW : NOT_RAW);
        }

        @Override
        public void foreign(long fingerprint, long h0, long h1) {
            part.foreign().add(new long[] {fingerprint, h0, h1});
        }

        @Override
        public void partEnd() {
            parts.add(part);
        }

        Snapshot snapshot() {
            Header h = header;
            return new Snapshot(
                    h.format(), h.topic(), h.topicIdHigh(), h.topicIdLow(), h.writtenAtMs(), digestVersion, parts);
        }
    }

    private static final byte[] RAW = {1};
    private static final byte[] NOT_RAW = {0};

    private static void checkFormat(int format) throws Invalid {
        if (format < OLDEST_READ || format > FORMAT) {
            throw new Invalid("format version " + format + ", this library reads " + OLDEST_READ + " to " + FORMAT);
        }
    }

    /** What a streaming read hands over, in file order; any exception aborts the read. */
    interface Sink {
        /** The header; throw {@link Invalid} to stop before any entry is read. */
        void header(Header header) throws Invalid;

        /** A partition's header; its entries and filtered-out hashes follow, then {@link #partEnd}. */
        void partStart(PartHeader part) throws Invalid;

        /** One entry, packed as the entry table stores it; the array is the sink's to keep. */
        void entry(byte[] packed, boolean raw);

        /** A filtered-out entry's hash, under its key's fingerprint. */
        void foreign(long fingerprint, long h0, long h1);

        void partEnd() throws Invalid;
    }

    /**
     * Reads the file once through a 1 MB buffer, handing everything to {@code sink} as it goes and
     * computing the file's CRC32C on the way: the caller must discard what it received when this
     * throws. When reading fails for any reason (the sink's included), the rest of the file is still
     * checksummed, so that a damaged file is reported as such and not as whatever its damaged bytes
     * happen to say. Counts are checked against the bytes left before anything is sized by them.
     */
    public static void stream(Path file, Sink sink) throws IOException, Invalid {
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 16) {
                throw new Invalid("corrupt file (too short)");
            }
            SnapshotInput in = new SnapshotInput(ch, size - 8);
            try {
                parse(in, sink);
            } catch (Invalid | IOException | RuntimeException e) {
                checkCrc(in, size);
                throw e;
            }
            checkCrc(in, size);
        }
    }

    private static void parse(SnapshotInput in, Sink sink) throws IOException, Invalid {
        try {
            Header h = header(in);
            sink.header(h);
            for (int parts = h.partitions(); parts > 0; parts--) {
                part(in, h.format(), sink);
            }
            if (in.remaining() != 0) {
                throw new Invalid("corrupt file (" + in.remaining() + " bytes after the last partition)");
            }
        } catch (java.nio.BufferUnderflowException | java.io.EOFException e) {
            throw new Invalid("corrupt file (truncated)");
        }
    }

    private static Header header(SnapshotInput in) throws IOException, Invalid {
        if (in.getInt() != MAGIC) {
            throw new Invalid("not a Statecast snapshot");
        }
        int format = in.getInt();
        checkFormat(format);
        String topic = new String(bytes(in), java.nio.charset.StandardCharsets.UTF_8);
        return new Header(format, topic, in.getLong(), in.getLong(), in.getLong(), in.getInt());
    }

    private static void part(SnapshotInput in, int format, Sink sink) throws IOException, Invalid {
        int partition = in.getInt();
        long position = in.getLong();
        long applied = in.getLong();
        long mark = in.getLong();
        DigestValue d = new DigestValue(in.getLong(), in.getLong(), in.getLong());
        int version = format >= 4 ? in.getInt() : 1;
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / 9) { // an entry takes 9 bytes at least
            throw new Invalid("corrupt file (entry count " + n + ")");
        }
        sink.partStart(new PartHeader(partition, position, applied, mark, d, version, n));
        for (int i = 0; i < n; i++) {
            int len = in.getInt();
            boolean raw = in.get() == 1;
            if (len < 4) {
                throw new Invalid("corrupt file (entry length " + len + ")");
            }
            // An entry over the read buffer: the whole file's CRC first, before sizing by a length that may be damage.
            if (len > BIG_ENTRY && !in.wholeFileMatches()) {
                throw CRC_MISMATCH.get();
            }
            sink.entry(in.array(len), raw);
        }
        for (int f = in.getInt(); f > 0; f--) {
            long fp = format == 2 ? ForeignHashes.fingerprint(bytes(in)) : in.getLong();
            sink.foreign(fp, in.getLong(), in.getLong());
        }
        sink.partEnd();
    }

    /** Entries larger than the read buffer are rare: the first one makes the whole file's CRC checked first. */
    private static final int BIG_ENTRY = 1 << 20;

    private static final java.util.function.Supplier<Invalid> CRC_MISMATCH =
            () -> new Invalid("corrupt file (checksum of the file does not match)");

    private static void checkCrc(SnapshotInput in, long size) throws IOException, Invalid {
        if (!in.restMatches(size)) {
            throw CRC_MISMATCH.get();
        }
    }

    private static byte[] bytes(SnapshotInput in) throws IOException, Invalid {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new Invalid("corrupt file (length " + n + ")");
        }
        return in.array(n);
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
