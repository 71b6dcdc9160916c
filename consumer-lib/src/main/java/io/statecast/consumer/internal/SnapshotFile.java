package io.statecast.consumer.internal;

import io.statecast.common.DigestValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The warm-restart file of a view: format version, state topic and its topic id, when it was written,
 * the configuration it was saved under ({@link ConfigFingerprint}), and per partition its position,
 * offsets, when it was last caught up (read to the log's end), digest and digest version, entries and
 * filtered-out entry hashes; a CRC32C of everything ends it. This class holds the format and reads it;
 * the writer, a level above, writes it to a temporary file of its own, forces it to disk and renames it
 * atomically, so that neither a crash, a power loss nor another view saving the same file leaves anything
 * but a whole snapshot.
 *
 * <p>Each entry is stored exactly as {@link EntryTable} holds it ({@code int32 keyLength ‖ key ‖ value}),
 * so a restart streams the file through a small buffer into the table, one array per entry, with no
 * intermediate copies ({@link #stream}); each filtered-out entry's hash is stored under its key's 64-bit
 * fingerprint ({@link ForeignHashes}). Format 5 added the configuration and the caught-up times: files of
 * formats 1 to 4 lack them and are refused (a full bootstrap follows, once).
 *
 * <p>Format 6 has format 5's layout and one more promise: its writer re-hashed every entry it wrote and
 * refused to write a partition whose entries did not add up to the digest saved with them
 * ({@link SnapshotWriter}). Its CRC32C then protects that agreement, so a load checks the CRC, the counts
 * (the digest's entry count against the entries and hashes read, the table's size against the entries)
 * and not each entry's hash again; a file of format 5 is still re-hashed entry by entry when loaded.
 */
public final class SnapshotFile {
    static final int FORMAT = 6;
    /** The newest format whose digests were not checked at write: its loader re-hashes every entry. */
    static final int UNCHECKED_FORMAT = 5;

    private static final int OLDEST_READ = 5;
    static final int MAGIC = 0x53435350; // "SCSP"

    private SnapshotFile() {}

    /**
     * Where a partition's reading stood: its position, the srcOffsets it applied and marked, and the wall
     * time it was last caught up (its position at the log's end, or the start of a read from the
     * beginning; -1 when unknown), by which tombstones it may have missed are judged.
     */
    public record Offsets(long position, long appliedSrcOffset, long markSrcOffset, long caughtUpAtMs) {}

    /** One partition's saved state; {@code foreign} holds {fingerprint, h0, h1} triples. */
    public record Part(
            int partition,
            Offsets offsets,
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
            String config,
            int digestVersion,
            List<Part> parts) {
        /** This snapshot in {@code format} with {@code parts} instead (tools and tests: an older format, altered parts). */
        public Snapshot with(int format, List<Part> parts) {
            return new Snapshot(format, topic, topicIdHigh, topicIdLow, writtenAtMs, config, digestVersion, parts);
        }
    }

    /** What the file starts with: format, the state topic and its id, when, under which configuration, how many partitions. */
    record Header(
            int format,
            String topic,
            long topicIdHigh,
            long topicIdLow,
            long writtenAtMs,
            String config,
            int partitions) {}

    /** What each partition starts with: its offsets, digest (and its version), how many entries follow. */
    record PartHeader(int partition, Offsets offsets, DigestValue digest, int digestVersion, int entries) {}

    /** Why a snapshot cannot be used. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason);
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
                    p.offsets(),
                    p.digest(),
                    new ArrayList<>(p.entries()),
                    new ArrayList<>(p.entries()),
                    new ArrayList<>());
        }

        @Override
        public void entry(byte[] packed, boolean raw) {
            part.entries().add(new byte[][] {PackedEntry.keyOf(packed), PackedEntry.valueOf(packed)});
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
                    h.format(),
                    h.topic(),
                    h.topicIdHigh(),
                    h.topicIdLow(),
                    h.writtenAtMs(),
                    h.config(),
                    digestVersion,
                    parts);
        }
    }

    private static final byte[] RAW = {1};
    private static final byte[] NOT_RAW = {0};

    private static void checkFormat(int format) throws Invalid {
        if (format < OLDEST_READ || format > FORMAT) {
            throw new Invalid("format version " + format + ", this library reads " + OLDEST_READ + " to " + FORMAT
                    + " (older formats lack the configuration and the caught-up times)");
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
                part(in, sink);
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
        String topic = text(in);
        long high = in.getLong();
        long low = in.getLong();
        long writtenAt = in.getLong();
        return new Header(format, topic, high, low, writtenAt, text(in), in.getInt());
    }

    private static void part(SnapshotInput in, Sink sink) throws IOException, Invalid {
        int partition = in.getInt();
        Offsets offsets = new Offsets(in.getLong(), in.getLong(), in.getLong(), in.getLong());
        DigestValue d = new DigestValue(in.getLong(), in.getLong(), in.getLong());
        int version = in.getInt();
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / 9) { // an entry takes 9 bytes at least
            throw new Invalid("corrupt file (entry count " + n + ")");
        }
        sink.partStart(new PartHeader(partition, offsets, d, version, n));
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
            sink.foreign(in.getLong(), in.getLong(), in.getLong());
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

    private static String text(SnapshotInput in) throws IOException, Invalid {
        return new String(bytes(in), java.nio.charset.StandardCharsets.UTF_8);
    }
}
