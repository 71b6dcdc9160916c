package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        List<byte[][]> entries = List.<byte[][]>of(new byte[][] {"big".getBytes(StandardCharsets.UTF_8), big});
        List<byte[]> raw = List.<byte[]>of(new byte[] {1});
        SnapshotFile.Part part = new SnapshotFile.Part(
                0,
                new SnapshotFile.Offsets(1, 0, 0, 0),
                HandMadeSnapshot.digestOf(2, entries, raw, List.of()),
                entries,
                raw,
                List.of());
        Path file = dir.resolve("big.snapshot");
        SnapshotWriter.write(
                file, new SnapshotFile.Snapshot(SnapshotFile.FORMAT, "ns.state", 1, 2, 3, "", 2, List.of(part)));
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
            HandMadeSnapshot.bytes(out, new byte[0]); // the configuration
            out.writeInt(1); // one partition
            out.writeInt(0);
            for (int i = 0; i < 7; i++) {
                out.writeLong(0); // position, offsets, caught-up time, digest
            }
            out.writeInt(2); // digest version
            out.writeInt(1 << 30);
        });
        SnapshotFile.Invalid e = assertThrows(SnapshotFile.Invalid.class, () -> SnapshotFile.read(file));
        assertEquals("corrupt file (entry count 1073741824)", e.getMessage());
    }

    @Test
    void twoSavesOfOneFileAtOnceLeaveOneWholeSnapshotAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        // Two views sharing a directory (and the file name) save at the same moment.
        Path file = dir.resolve("shared.snapshot");
        SnapshotFile.Snapshot a = many("a.state");
        SnapshotFile.Snapshot b = many("b.state");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> fa = pool.submit(() -> save(together, file, a));
                Future<?> fb = pool.submit(() -> save(together, file, b));
                fa.get();
                fb.get();
                String topic = SnapshotFile.read(file).topic();
                assertTrue(topic.equals("a.state") || topic.equals("b.state"), topic);
            }
        } finally {
            pool.shutdownNow();
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    private static Void save(CyclicBarrier together, Path file, SnapshotFile.Snapshot s) throws Exception {
        together.await();
        SnapshotWriter.write(file, s);
        return null;
    }

    private static SnapshotFile.Snapshot many(String topic) {
        List<byte[][]> entries = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            entries.add(new byte[][] {("key-" + i).getBytes(StandardCharsets.UTF_8), new byte[100]});
            raw.add(new byte[] {0});
        }
        SnapshotFile.Part part = new SnapshotFile.Part(
                0, new SnapshotFile.Offsets(10, 9, 9, 3), new DigestValue(0, 0, 0), entries, raw, List.of());
        return new SnapshotFile.Snapshot(SnapshotFile.FORMAT, topic, 1, 2, 3, "", 2, List.of(part));
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
        SnapshotFile.Part part = new SnapshotFile.Part(
                0,
                new SnapshotFile.Offsets(10, 9, 9, 2),
                HandMadeSnapshot.digestOf(2, entries, raw, foreign),
                entries,
                raw,
                foreign);
        Path file = dir.resolve("good.snapshot");
        SnapshotWriter.write(
                file, new SnapshotFile.Snapshot(SnapshotFile.FORMAT, "ns.state", 1, 2, 3, "", 2, List.of(part)));
        return file;
    }
}
