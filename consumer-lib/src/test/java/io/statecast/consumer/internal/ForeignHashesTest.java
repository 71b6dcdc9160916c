package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aSnapshotOfAnOlderOrUnknownFormatIsRefusedNamingTheFormatItReads(@TempDir Path dir) throws IOException {
        for (int format : new int[] {1, 2, 3, 4, 99}) {
            Path file = HandMadeSnapshot.write(dir.resolve("v" + format + ".snapshot"), format, out -> out.writeInt(0));
            SnapshotFile.Invalid e = assertThrows(SnapshotFile.Invalid.class, () -> SnapshotFile.read(file));
            assertEquals(
                    "format version " + format + ", this library reads 5 to " + SnapshotFile.FORMAT
                            + " (older formats lack the configuration and the caught-up times)",
                    e.getMessage());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
