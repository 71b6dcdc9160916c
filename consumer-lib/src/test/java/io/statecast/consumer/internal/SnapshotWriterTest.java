package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power loss must leave the last good snapshot or the new one: the new file's bytes and its directory
 * entry are on disk before it replaces the old one, and the rename itself is forced after. A power loss
 * cannot be staged in a test; the order of the forces can.
 */
class SnapshotWriterTest {

    @Test
    void theNewFileIsForcedWholeBeforeItReplacesTheOldOneAndTheRenameIsForcedAfter(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k.state.snapshot");
        SnapshotWriter.write(file, snapshot("old.state"), SnapshotWriter.Sync.DISK);
        byte[] old = Files.readAllBytes(file);
        List<String> seen = new ArrayList<>();
        SnapshotWriter.Sync recording = new SnapshotWriter.Sync() {
            @Override
            public void file(FileChannel ch, Path tmp) throws IOException {
                assertEquals(dir, tmp.getParent());
                assertTrue(tmp.getFileName().toString().startsWith("k.state.snapshot."), tmp.toString());
                seen.add("file " + topicOf(tmp) + ", target " + topicOf(file));
            }

            @Override
            public void dir(Path d) throws IOException {
                assertEquals(dir, d);
                seen.add("dir, target " + topicOf(file));
            }
        };
        SnapshotWriter.write(file, snapshot("new.state"), recording);
        assertEquals(
                List.of("file new.state, target old.state", "dir, target old.state", "dir, target new.state"), seen);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
        assertFalse(java.util.Arrays.equals(old, Files.readAllBytes(file)));
    }

    @Test
    void aSaveThatFailsLeavesTheOldSnapshotAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k.state.snapshot");
        SnapshotWriter.write(file, snapshot("old.state"), SnapshotWriter.Sync.DISK);
        byte[] old = Files.readAllBytes(file);
        SnapshotWriter.Sync failing = new SnapshotWriter.Sync() {
            @Override
            public void file(FileChannel ch, Path tmp) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void dir(Path d) {}
        };
        org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class, () -> SnapshotWriter.write(file, snapshot("new.state"), failing));
        assertArrayEquals(old, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aPictureWhoseEntriesDoNotAddUpToItsDigestIsNotSavedAndTheOldSnapshotStays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k.state.snapshot");
        SnapshotWriter.write(file, snapshot("old.state"), SnapshotWriter.Sync.DISK);
        byte[] old = Files.readAllBytes(file);
        PartitionTable t = new PartitionTable(4, EntryHash.V2);
        byte[] k = "pod-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] v = "running".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        t.entries.put(k, v);
        t.digest.add(k, v);
        DigestValue good = t.digest.value();
        t.entries.put(k, "pending".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // the digest not told: diverged
        SnapshotWriter.Disagreement e = assertThrows(
                SnapshotWriter.Disagreement.class,
                () -> SnapshotWriter.save(file, image(t, good), "", SnapshotWriter.Sync.DISK));
        assertTrue(e.getMessage().startsWith("the entries of partition 3 add up to "), e.getMessage());
        assertTrue(e.getMessage().endsWith(", not to its digest " + good + ": snapshot not written"), e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }

        t.entries.put(k, v); // agrees again: saved, in the format whose load trusts the check
        SnapshotWriter.save(file, image(t, good), "", SnapshotWriter.Sync.DISK);
        SnapshotFile.Snapshot saved = SnapshotFile.read(file);
        assertEquals(SnapshotFile.FORMAT, saved.format());
        assertEquals(good, saved.parts().get(0).digest());
    }

    @Test
    void snapshotsGivenAsRecordsAreCheckedInFormat6AndWrittenAsGivenInFormat5(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k.state.snapshot");
        List<byte[][]> entries = List.<byte[][]>of(new byte[][] {{1, 2}, {3}});
        List<byte[]> raw = List.<byte[]>of(new byte[] {1});
        DigestValue right = HandMadeSnapshot.digestOf(2, entries, raw, List.of());
        DigestValue wrong = new DigestValue(right.count(), right.lane0(), right.lane1() + 1);
        assertThrows(
                SnapshotWriter.Disagreement.class,
                () -> SnapshotWriter.write(file, records(SnapshotFile.FORMAT, wrong, entries, raw)));
        assertFalse(Files.exists(file));
        SnapshotWriter.write(file, records(SnapshotFile.FORMAT, right, entries, raw));
        assertEquals(SnapshotFile.FORMAT, SnapshotFile.read(file).format());
        SnapshotWriter.write(file, records(SnapshotFile.UNCHECKED_FORMAT, wrong, entries, raw));
        SnapshotFile.Snapshot s = SnapshotFile.read(file);
        assertEquals(SnapshotFile.UNCHECKED_FORMAT, s.format());
        assertEquals(wrong, s.parts().get(0).digest());
        assertThrows(IllegalArgumentException.class, () -> SnapshotWriter.write(file, records(4, right, entries, raw)));
    }

    private static SnapshotFile.Snapshot records(
            int format, DigestValue digest, List<byte[][]> entries, List<byte[]> raw) {
        SnapshotFile.Part part =
                new SnapshotFile.Part(0, new SnapshotFile.Offsets(5, 4, 4, 1), digest, entries, raw, List.of());
        return new SnapshotFile.Snapshot(format, "k.state", 1, 2, 3, "", 2, List.of(part));
    }

    private static SnapshotImage image(PartitionTable t, DigestValue digest) {
        return new SnapshotImage(
                "k.state",
                new org.apache.kafka.common.Uuid(1, 2),
                3,
                List.of(new SnapshotImage.Part(
                        3, new SnapshotFile.Offsets(5, 4, 4, 1), digest, 2, t.entries, t.foreign)));
    }

    // What a file holds, as a reader would see it now (the temporary file is complete when forced).
    private static String topicOf(Path f) {
        try {
            return SnapshotFile.read(f).topic();
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static SnapshotFile.Snapshot snapshot(String topic) {
        List<byte[][]> entries = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            entries.add(new byte[][] {("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[50]});
            raw.add(new byte[] {0});
        }
        SnapshotFile.Part part = new SnapshotFile.Part(
                0, new SnapshotFile.Offsets(5, 4, 4, 1), new DigestValue(0, 0, 0), entries, raw, List.of());
        return new SnapshotFile.Snapshot(SnapshotFile.FORMAT, topic, 1, 2, 3, "", 2, List.of(part));
    }
}
