package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
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
