package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.DigestValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file is read in one pass, its CRC32C computed on the way; damage is reported as damage. */
class SnapshotFileTest {

    @Test
    void aFileReadsBackAsWritten(@TempDir Path dir) throws Exception {
        Path file = write(dir);
        SnapshotFile.Snapshot s = SnapshotFile.read(file);
        assertEquals("ns.state", s.topic());
        assertEquals(2, s.parts().get(0).entries().size());
        assertArrayEquals(
                "value-1".getBytes(StandardCharsets.UTF_8),
                s.parts().get(0).entries().get(1)[1]);
        assertArrayEquals(new long[] {42, 7, 8}, s.parts().get(0).foreign().get(0));
    }

    @Test
    void everyDamagedByteIsReportedAsAChecksumMismatchWhateverItBreaks(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(write(dir));
        for (int at = 0; at < good.length - 8; at++) { // lengths, counts, magic, format, entries: all of them
            byte[] bad = good.clone();
            bad[at] ^= 0x5A;
            Path file = dir.resolve("bad-" + at);
            Files.write(file, bad);
            SnapshotFile.Invalid e =
                    assertThrows(SnapshotFile.Invalid.class, () -> SnapshotFile.read(file), "byte " + at);
            assertEquals("corrupt file (checksum of the file does not match)", e.getMessage(), "byte " + at);
        }
    }

    @Test
    void entriesLargerThanTheReadBufferAreReadAfterTheWholeFileWasChecked(@TempDir Path dir) throws Exception {
        byte[] big = new byte[3 << 20];
        new java.util.Random(1).nextBytes(big);
        SnapshotFile.Part part = new SnapshotFile.Part(
                0,
                1,
                0,
                0,
                new DigestValue(1, 1, 1),
                List.<byte[][]>of(new byte[][] {"big".getBytes(StandardCharsets.UTF_8), big}),
                List.<byte[]>of(new byte[] {1}),
                List.of());
        Path file = dir.resolve("big.snapshot");
        SnapshotFile.write(file, new SnapshotFile.Snapshot(SnapshotFile.FORMAT, "ns.state", 1, 2, 3, 2, List.of(part)));
        assertArrayEquals(big, SnapshotFile.read(file).parts().get(0).entries().get(0)[1]);

        byte[] bad = Files.readAllBytes(file);
        bad[bad.length / 2] ^= 1;
        Files.write(file, bad);
        SnapshotFile.Invalid e = assertThrows(SnapshotFile.Invalid.class, () -> SnapshotFile.read(file));
        assertEquals("corrupt file (checksum of the file does not match)", e.getMessage());
    }

    @Test
    void anEntryCountTheFileCannotHoldIsRefusedBeforeAnythingIsSizedByIt(@TempDir Path dir) throws Exception {
        // A count of 2^30 entries in a file of a few bytes, with a correct CRC: written by a bug, not by damage.
        Path file = HandMadeSnapshot.write(dir.resolve("count.snapshot"), SnapshotFile.FORMAT, out -> {
            HandMadeSnapshot.bytes(out, "ns.state".getBytes(StandardCharsets.UTF_8));
            out.writeLong(1);
            out.writeLong(2);
            out.writeLong(3);
            out.writeInt(1); // one partition
            out.writeInt(0);
            for (int i = 0; i < 6; i++) {
                out.writeLong(0); // position, offsets, digest
            }
            out.writeInt(2); // digest version
            out.writeInt(1 << 30);
        });
        SnapshotFile.Invalid e = assertThrows(SnapshotFile.Invalid.class, () -> SnapshotFile.read(file));
        assertEquals("corrupt file (entry count 1073741824)", e.getMessage());
    }

    private static Path write(Path dir) throws Exception {
        List<byte[][]> entries = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            entries.add(new byte[][] {
                ("key-" + i).getBytes(StandardCharsets.UTF_8), ("value-" + i).getBytes(StandardCharsets.UTF_8)
            });
            raw.add(new byte[] {1});
        }
        List<long[]> foreign = new ArrayList<>();
        foreign.add(new long[] {42, 7, 8});
        SnapshotFile.Part part = new SnapshotFile.Part(0, 10, 9, 9, new DigestValue(3, 1, 2), entries, raw, foreign);
        Path file = dir.resolve("good.snapshot");
        SnapshotFile.write(file, new SnapshotFile.Snapshot(SnapshotFile.FORMAT, "ns.state", 1, 2, 3, 2, List.of(part)));
        return file;
    }
}
