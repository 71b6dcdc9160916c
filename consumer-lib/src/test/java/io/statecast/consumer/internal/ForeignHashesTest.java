package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForeignHashesTest {

    @Property(tries = 200)
    void behavesLikeAMapFromKeyToHash(@ForAll List<@IntRange(min = 0, max = 20_000) Integer> ops) {
        ForeignHashes table = new ForeignHashes();
        Map<String, long[]> model = new HashMap<>();
        for (int op : ops) {
            String key = "pod-" + (op % 401);
            if (op % 3 == 0) {
                long[] expected = model.remove(key);
                long[] removed = table.remove(b(key));
                if (expected == null) {
                    assertNull(removed);
                } else {
                    assertArrayEquals(expected, removed);
                }
            } else {
                long[] h = {op * 31L, ~op};
                table.put(b(key), h[0], h[1]);
                model.put(key, h);
            }
            assertEquals(model.size(), table.size());
        }
        for (int k = 0; k < 401; k++) {
            assertEquals(model.containsKey("pod-" + k), table.contains(b("pod-" + k)));
        }
        Map<Long, long[]> byFingerprint = new HashMap<>();
        model.forEach((k, h) -> byFingerprint.put(ForeignHashes.fingerprint(b(k)), h));
        Map<Long, long[]> seen = new HashMap<>();
        table.forEach((fp, h0, h1) -> assertNull(seen.put(fp, new long[] {h0, h1}), "one slot per fingerprint"));
        assertEquals(byFingerprint.keySet(), seen.keySet());
        byFingerprint.forEach((fp, h) -> assertArrayEquals(h, seen.get(fp)));
    }

    @Property(tries = 50)
    void aTablePresizedForEveryRecordOfADirtyLogIsTrimmedAndKeepsEveryHash(
            @ForAll @IntRange(min = 0, max = 3000) int keys, @ForAll @IntRange(min = 1, max = 10) int recordsPerKey) {
        ForeignHashes table = new ForeignHashes();
        table.ensureCapacity(keys * recordsPerKey);
        for (int r = 0; r < recordsPerKey; r++) {
            for (int k = 0; k < keys; k++) {
                table.put(b("pod-" + k), k, r);
            }
        }
        table.trim();
        assertEquals(keys, table.size());
        assertTrue(
                table.capacity() > keys && table.capacity() <= Math.max(16, keys / 0.5),
                "capacity " + table.capacity());
        for (int k = 0; k < keys; k++) {
            assertArrayEquals(new long[] {k, recordsPerKey - 1}, table.remove(b("pod-" + k)));
        }
        assertEquals(0, table.size());
    }

    @Test
    void aFingerprintIsNeverTheEmptyMarker() {
        assertThrows(IllegalArgumentException.class, () -> new ForeignHashes().putFingerprint(0, 1, 2));
        assertTrue(ForeignHashes.fingerprint(new byte[0]) != 0);
        assertFalse(new ForeignHashes().contains(b("absent")));
    }

    @Test
    void aFormat2SnapshotIsReadWithItsFilteredOutKeysFingerprinted(@TempDir Path dir) throws Exception {
        // Format 2 stored the filtered-out entries' keys; format 3 stores their fingerprints.
        Path file = HandMadeSnapshot.write(dir.resolve("v2.snapshot"), 2, out -> {
            HandMadeSnapshot.bytes(out, b("ns.state"));
            out.writeLong(1);
            out.writeLong(2);
            out.writeLong(3);
            out.writeInt(1); // one partition
            out.writeInt(0);
            out.writeLong(10);
            out.writeLong(9);
            out.writeLong(9);
            out.writeLong(1);
            out.writeLong(7);
            out.writeLong(8);
            out.writeInt(0); // no entries
            out.writeInt(1); // one filtered-out hash
            HandMadeSnapshot.bytes(out, b("pod-9"));
            out.writeLong(7);
            out.writeLong(8);
        });
        SnapshotFile.Snapshot s = SnapshotFile.read(file);
        assertEquals(2, s.format());
        assertEquals("ns.state", s.topic());
        assertEquals(3, s.writtenAtMs());
        assertEquals(1, s.parts().size());
        SnapshotFile.Part part = s.parts().get(0);
        assertEquals(new DigestValue(1, 7, 8), part.digest());
        assertEquals(1, part.foreign().size());
        assertArrayEquals(
                new long[] {ForeignHashes.fingerprint(b("pod-9")), 7, 8},
                part.foreign().get(0));

        SnapshotFile.write(dir.resolve("v3.snapshot"), s); // written back in the current format, read alike
        SnapshotFile.Part again =
                SnapshotFile.read(dir.resolve("v3.snapshot")).parts().get(0);
        assertEquals(
                SnapshotFile.FORMAT,
                SnapshotFile.read(dir.resolve("v3.snapshot")).format());
        assertEquals(1, s.digestVersion()); // formats 2 and 3 hold digests of version 1
        assertArrayEquals(part.foreign().get(0), again.foreign().get(0));
    }

    @Test
    void aSnapshotOfAnUnknownFormatIsRefusedNamingTheFormatsItReads(@TempDir Path dir) throws IOException {
        Path file = HandMadeSnapshot.write(dir.resolve("v1.snapshot"), 1, out -> out.writeInt(0));
        SnapshotFile.Invalid e = assertThrows(SnapshotFile.Invalid.class, () -> SnapshotFile.read(file));
        assertEquals("format version 1, this library reads 2 to " + SnapshotFile.FORMAT, e.getMessage());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
