package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.apache.kafka.common.Uuid;

/**
 * Writes a {@link SnapshotFile}. Each save goes to a temporary file of its own in the snapshot's
 * directory (two views sharing a directory once wrote the same {@code .tmp} at once and left a corrupt
 * snapshot), which is forced to disk with its directory entry before it is renamed over the old file, and
 * the directory is forced again after: a power loss leaves the old snapshot or the new one, never an empty
 * or half-written file in place of the last good one.
 *
 * <p>A file of format 6 is written only when every partition's entries (and filtered-out hashes) add up to
 * the digest saved with them: the writer re-hashes what it writes and refuses the save otherwise
 * ({@link Disagreement}). A loader of such a file then relies on the file's CRC32C instead of re-hashing
 * every entry on the restart path (see {@link SnapshotFile}).
 */
public final class SnapshotWriter {

    /** How written bytes reach the disk; tests record the calls. */
    interface Sync {
        /** Forces the temporary file's content and metadata. */
        void file(FileChannel ch, Path tmp) throws IOException;

        /** Forces the directory's entries (a created or renamed file). */
        void dir(Path dir) throws IOException;

        /** The real thing: {@code fsync} of the file and of its directory (where the platform allows it). */
        Sync DISK = new Sync() {
            @Override
            public void file(FileChannel ch, Path tmp) throws IOException {
                ch.force(true);
            }

            @Override
            public void dir(Path dir) throws IOException {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                } catch (IOException e) {
                    // Some platforms cannot open or force a directory (Windows); their rename is durable
                    // by other means or not at all, and there is nothing more a Java program can do.
                }
            }
        };
    }

    /** A save refused because a partition's entries do not add up to its digest: nothing was renamed into place. */
    static final class Disagreement extends IOException {
        private static final long serialVersionUID = 1L;

        Disagreement(int partition, DigestValue computed, DigestValue saved) {
            super("the entries of partition " + partition + " add up to " + computed + ", not to its digest " + saved
                    + ": snapshot not written");
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private SnapshotWriter() {}

    /**
     * Writes a snapshot given as records (tools and tests); views save theirs with {@link #save}. Its
     * {@code format} is 6 ({@link SnapshotFile#FORMAT}: every part's entries checked against its digest,
     * refused with {@link Disagreement} when they disagree) or 5 (written as given, checked when loaded).
     */
    public static void write(Path file, SnapshotFile.Snapshot s) throws IOException {
        write(file, s, Sync.DISK);
    }

    static void write(Path file, SnapshotFile.Snapshot s, Sync sync) throws IOException {
        if (s.format() != SnapshotFile.FORMAT && s.format() != SnapshotFile.UNCHECKED_FORMAT) {
            throw new IllegalArgumentException("cannot write format " + s.format());
        }
        boolean check = s.format() == SnapshotFile.FORMAT;
        SnapshotFile.Header h = new SnapshotFile.Header(
                s.format(),
                s.topic(),
                s.topicIdHigh(),
                s.topicIdLow(),
                s.writtenAtMs(),
                s.config(),
                s.parts().size());
        writeFile(file, h, sync, out -> {
            for (SnapshotFile.Part p : s.parts()) {
                writePart(out, p, s.digestVersion(), check);
            }
        });
    }

    /** Streams each entry from its table as it is stored: no copy of the table is built in memory. */
    static void save(Path file, SnapshotImage image, String config, Sync sync) throws IOException {
        Uuid id = image.topicId();
        SnapshotFile.Header h = new SnapshotFile.Header(
                SnapshotFile.FORMAT,
                image.topic(),
                id.getMostSignificantBits(),
                id.getLeastSignificantBits(),
                image.writtenAtMs(),
                config,
                image.parts().size());
        writeFile(file, h, sync, out -> {
            for (SnapshotImage.Part p : image.parts()) {
                writeState(out, p);
            }
        });
    }

    /**
     * Deletes the temporary files of saves of {@code file} that were killed before their rename (a
     * SIGKILL or a power loss mid-save: each left a whole snapshot's worth of bytes, and a process in a
     * crash loop left one per restart) and have not been written to for {@code quietFor}, so that a save
     * still being written by another view sharing the directory is left alone. Returns how many went.
     */
    static int removeLeftovers(Path file, Duration quietFor) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Pattern temp = Pattern.compile(Pattern.quote(file.getFileName() + ".") + "\\d+\\.tmp");
        FileTime before = FileTime.from(Instant.now().minus(quietFor));
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (temp.matcher(f.getFileName().toString()).matches()
                        && Files.getLastModifiedTime(f).compareTo(before) < 0
                        && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static void writeFile(Path file, SnapshotFile.Header header, Sync sync, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writeTo(ch, header, body);
                sync.file(ch, tmp);
            }
            sync.dir(dir);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            sync.dir(dir);
        } finally {
            Files.deleteIfExists(tmp); // gone after the rename; left only by a failed save
        }
    }

    private static void writeTo(FileChannel ch, SnapshotFile.Header header, Body body) throws IOException {
        CRC32C crc = new CRC32C();
        // Not closed here: closing the stream would close the channel before it is forced.
        OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
        out.writeInt(SnapshotFile.MAGIC);
        out.writeInt(header.format());
        text(out, header.topic());
        out.writeLong(header.topicIdHigh());
        out.writeLong(header.topicIdLow());
        out.writeLong(header.writtenAtMs());
        text(out, header.config());
        out.writeInt(header.partitions());
        body.write(out);
        out.flush();
        raw.write(ByteBuffer.allocate(8).putLong(crc.getValue()).array()); // the trailer: outside the checksum
        raw.flush();
    }

    private static void offsets(DataOutputStream out, int partition, SnapshotFile.Offsets o) throws IOException {
        out.writeInt(partition);
        out.writeLong(o.position());
        out.writeLong(o.appliedSrcOffset());
        out.writeLong(o.markSrcOffset());
        out.writeLong(o.caughtUpAtMs());
    }

    private static void digest(DataOutputStream out, DigestValue d, int version) throws IOException {
        out.writeLong(d.count());
        out.writeLong(d.lane0());
        out.writeLong(d.lane1());
        out.writeInt(version);
    }

    private static void writeState(DataOutputStream out, SnapshotImage.Part p) throws IOException {
        offsets(out, p.partition(), p.offsets());
        digest(out, p.digest(), p.digestVersion());
        out.writeInt(p.entries().size());
        ForeignHashes foreign = p.foreign();
        Digest check = new Digest(EntryHash.forVersion(p.digestVersion()));
        try {
            p.entries().forEachPacked(e -> {
                try {
                    boolean raw = foreign.isEmpty() || !foreign.contains(PackedEntry.keyOf(e));
                    out.writeInt(e.length);
                    out.writeBoolean(raw);
                    out.write(e);
                    if (raw) {
                        addPacked(check, e);
                    }
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
            out.writeInt(foreign.size());
            foreign.forEach((fp, h0, h1) -> {
                try {
                    out.writeLong(fp);
                    out.writeLong(h0);
                    out.writeLong(h1);
                    check.addHash(h0, h1);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
        agree(p.partition(), check, p.digest());
    }

    // The table's entries as packed (int32 keyLength ‖ key ‖ value), added in place: no key or value copied.
    private static void addPacked(Digest d, byte[] e) {
        int n = PackedEntry.keyLengthOf(e);
        d.add(e, 4, n, e, 4 + n, e.length - 4 - n);
    }

    private static void agree(int partition, Digest computed, DigestValue saved) throws Disagreement {
        DigestValue c = computed.value();
        if (!c.equals(saved)) {
            throw new Disagreement(partition, c, saved);
        }
    }

    private static void writePart(DataOutputStream out, SnapshotFile.Part p, int digestVersion, boolean check)
            throws IOException {
        offsets(out, p.partition(), p.offsets());
        digest(out, p.digest(), digestVersion);
        Digest computed = check ? new Digest(EntryHash.forVersion(digestVersion)) : null;
        out.writeInt(p.entries().size());
        for (int i = 0; i < p.entries().size(); i++) {
            byte[][] e = p.entries().get(i);
            boolean raw = p.rawFlags().get(i)[0] == 1;
            out.writeInt(4 + e[0].length + e[1].length); // the packed entry: int32 keyLength ‖ key ‖ value
            out.writeBoolean(raw);
            out.writeInt(e[0].length);
            out.write(e[0]);
            out.write(e[1]);
            if (raw && computed != null) {
                computed.add(e[0], e[1]);
            }
        }
        out.writeInt(p.foreign().size());
        for (long[] f : p.foreign()) {
            out.writeLong(f[0]);
            out.writeLong(f[1]);
            out.writeLong(f[2]);
            if (computed != null) {
                computed.addHash(f[1], f[2]);
            }
        }
        if (computed != null) {
            agree(p.partition(), computed, p.digest());
        }
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
