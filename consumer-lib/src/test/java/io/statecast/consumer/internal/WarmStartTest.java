package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import io.statecast.schemas.demo.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A picture of partitions saved and loaded back; every reason a snapshot is refused. */
class WarmStartTest {
    private static final String TOPIC = "k8s.state";
    private static final Uuid ID = new Uuid(7, 11);
    private static final long DAY = 86_400_000L;
    private static final long CAUGHT_UP = 900; // the pictured partitions were read to their end then

    @Property(tries = 30)
    void whatIsLoadedIsWhatWasPictured(
            @ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops,
            @ForAll boolean filtering,
            @ForAll @IntRange(min = 1, max = 2) int digestVersion)
            throws IOException {
        Path dir = Files.createTempDirectory("warm");
        try {
            List<Partition> parts = partitions(ops, filtering, digestVersion);
            WarmStart ws = new WarmStart(dir, TOPIC, "[view ns=k8s]");
            ws.save(new SnapshotImage(
                    TOPIC, ID, 1_000, parts.stream().map(SnapshotImage::of).toList()));
            WarmStart.Result r = ws.load(expect(List.of(0, 1), 2_000, () -> DAY));
            assertTrue(r.loaded(), r.startMode());
            int entries = parts.stream().mapToInt(p -> p.table.entries.size()).sum();
            assertEquals("warm restart from snapshot (" + entries + " entries, written 1000 ms ago)", r.startMode());
            for (int i = 0; i < parts.size(); i++) {
                Partition saved = parts.get(i);
                WarmStart.LoadedPartition loaded = r.partitions().get(i);
                assertEquals(saved.id, loaded.partition());
                assertEquals(saved.progress.position, loaded.position());
                assertEquals(saved.marks.applied(), loaded.offsets().appliedSrcOffset());
                assertEquals(saved.marks.marked(), loaded.offsets().markSrcOffset());
                assertEquals(saved.progress.caughtUpAtMs, loaded.offsets().caughtUpAtMs());
                assertEquals(Pods.stored(saved.table), Pods.stored(loaded.table()));
                assertEquals(saved.table.digest.value(), loaded.table().digest.value());
                assertEquals(digestVersion, loaded.table().digest.version());
                assertEquals(saved.table.foreign.size(), loaded.table().foreign.size());
                assertEquals(hashes(saved.table), hashes(loaded.table()));
            }
        } finally {
            io.statecast.testkit.Dirs.deleteRecursively(dir);
        }
    }

    @Test
    void aMissingFileMeansAFullBootstrapWithoutAskingTheBroker(@TempDir Path dir) {
        WarmStart.Result r = new WarmStart(dir, TOPIC, "v").load(expect(List.of(0, 1), 0, () -> {
            throw new AssertionError("delete.retention.ms is asked only when there is a snapshot");
        }));
        assertFalse(r.loaded());
        assertEquals("full bootstrap: no snapshot in " + dir, r.startMode());
    }

    @Test
    void theTemporaryFilesOfSavesKilledBeforeTheirRenameGoWhenTheViewStartsAndAfterEachSave(@TempDir Path dir)
            throws Exception {
        String name = TOPIC + ".snapshot";
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
        Path killed = Files.write(dir.resolve(name + ".123456789.tmp"), new byte[1000]);
        Files.setLastModifiedTime(killed, old);
        Path writing = Files.write(dir.resolve(name + ".987654321.tmp"), new byte[10]); // another view, now
        Path otherView = Files.write(dir.resolve("other.state.snapshot.55.tmp"), new byte[10]);
        Files.setLastModifiedTime(otherView, old);
        Path notOurs = Files.write(dir.resolve(name + ".backup"), new byte[10]);
        Files.setLastModifiedTime(notOurs, old);

        WarmStart ws = new WarmStart(dir, TOPIC, "v");
        assertFalse(ws.load(expect(List.of(0, 1), 0, () -> DAY)).loaded());
        assertFalse(Files.exists(killed), "a killed save's file goes when the view starts");
        assertTrue(Files.exists(writing), "a save still being written stays");
        assertTrue(Files.exists(otherView), "another snapshot's leftovers are that view's to remove");
        assertTrue(Files.exists(notOurs));

        Files.setLastModifiedTime(writing, old); // that save was killed too, after this view started
        assertTrue(ws.save(new SnapshotImage(
                TOPIC,
                ID,
                1_000,
                partitions(List.of(1, 2), false).stream().map(SnapshotImage::of).toList())));
        assertFalse(Files.exists(writing), "and goes after this view's next save");
        assertTrue(Files.exists(dir.resolve(name)));
        assertTrue(Files.exists(notOurs));
    }

    @Test
    void everyMismatchWithTheViewIsARejectionThatSaysWhy(@TempDir Path dir) {
        WarmStart ws = new WarmStart(dir, TOPIC, "v");
        ws.save(new SnapshotImage(
                TOPIC,
                ID,
                1_000,
                partitions(List.of(1, 2, 3, 8, 9), true).stream()
                        .map(SnapshotImage::of)
                        .toList()));
        assertRejected(
                ws.load(new WarmStart.Expect(new Uuid(1, 2), List.of(0, 1), 2_000, 16, () -> DAY, StoredValues.none())),
                "foreign topic id");
        long limit = CAUGHT_UP + DAY - 3_600_000; // a margin of an hour under a day's retention
        assertTrue(ws.load(expect(List.of(0, 1), limit, () -> DAY)).loaded(), "within the retention");
        assertRejected(ws.load(expect(List.of(0, 1), limit + 1, () -> DAY)), "partition 0 was last caught up");
        assertRejected(
                new WarmStart(dir, TOPIC, TOPIC + ".snapshot", "v", "filter=yes")
                        .load(expect(List.of(0, 1), 2_000, () -> DAY)),
                "saved under another configuration (), this view runs filter=yes");
        assertRejected(ws.load(expect(List.of(0, 1, 2), 2_000, () -> DAY)), "it holds 2 partitions");
        assertRejected(ws.load(expect(List.of(0, 2), 2_000, () -> DAY)), "it holds partition 1");
        assertRejected(new WarmStart(dir, "other.state", "v").load(expect(List.of(0, 1), 0, () -> DAY)), "no snapshot");
        assertTrue(ws.load(expect(List.of(0, 1), 2_000, () -> DAY)).loaded(), "and the file itself is fine");
    }

    @Test
    void aSnapshotWrittenLongAfterItsPartitionsWereLastCaughtUpIsJudgedFromThen(@TempDir Path dir) {
        // Written while STALE 20 h after the partitions were last read to their end, loaded 5 h later.
        WarmStart ws = new WarmStart(dir, TOPIC, "v");
        long hour = 3_600_000L;
        ws.save(new SnapshotImage(
                TOPIC,
                ID,
                CAUGHT_UP + 20 * hour,
                partitions(List.of(1, 2, 3), false).stream()
                        .map(SnapshotImage::of)
                        .toList()));
        assertRejected(
                ws.load(expect(List.of(0, 1), CAUGHT_UP + 25 * hour, () -> DAY)),
                "partition 0 was last caught up 90000000 ms ago, more than delete.retention.ms=86400000 of k8s.state"
                        + " minus a margin of 3600000 ms");
    }

    @Test
    void aDamagedFileIsRejectedAsCorrupt(@TempDir Path dir) throws IOException {
        WarmStart ws = new WarmStart(dir, TOPIC, "v");
        ws.save(new SnapshotImage(
                TOPIC,
                ID,
                1_000,
                partitions(List.of(1, 2, 3), false).stream()
                        .map(SnapshotImage::of)
                        .toList()));
        Path file = dir.resolve(TOPIC + ".snapshot");
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x10;
        Files.write(file, b);
        assertRejected(ws.load(expect(List.of(0, 1), 2_000, () -> DAY)), "corrupt file");
    }

    @Test
    void aFormat5FileIsReHashedOnLoadSoADigestItsEntriesDoNotAddUpToIsRefused(@TempDir Path dir) throws Exception {
        WarmStart ws = new WarmStart(dir, TOPIC, "v");
        Path file = savedPicture(ws, dir);
        SnapshotFile.Snapshot s = SnapshotFile.read(file);
        SnapshotWriter.write(file, s.with(SnapshotFile.UNCHECKED_FORMAT, s.parts()));
        assertTrue(ws.load(expect(List.of(0, 1), 2_000, () -> DAY)).loaded(), "an older file still loads");
        SnapshotWriter.write(file, s.with(SnapshotFile.UNCHECKED_FORMAT, offByOne(s.parts(), 0)));
        assertRejected(
                ws.load(expect(List.of(0, 1), 2_000, () -> DAY)), "digest disagreement: the entries of partition 0");
    }

    @Test
    void aFormat6FileWhoseDigestCountsOtherEntriesThanItHoldsIsRefused(@TempDir Path dir) throws Exception {
        // The writer refuses such a file; written as format 5 and relabelled 6 with its CRC fixed, the load must.
        WarmStart ws = new WarmStart(dir, TOPIC, "v");
        Path file = savedPicture(ws, dir);
        SnapshotFile.Snapshot s = SnapshotFile.read(file);
        List<SnapshotFile.Part> parts = new ArrayList<>(s.parts());
        SnapshotFile.Part p1 = parts.get(1);
        DigestValue d = p1.digest();
        parts.set(
                1,
                new SnapshotFile.Part(
                        p1.partition(),
                        p1.offsets(),
                        new DigestValue(d.count() + 1, d.lane0(), d.lane1()),
                        p1.entries(),
                        p1.rawFlags(),
                        p1.foreign()));
        SnapshotWriter.write(file, s.with(SnapshotFile.UNCHECKED_FORMAT, parts));
        HandMadeSnapshot.reformat(file, SnapshotFile.FORMAT);
        assertEquals(SnapshotFile.FORMAT, SnapshotFile.read(file).format());
        assertRejected(
                ws.load(expect(List.of(0, 1), 2_000, () -> DAY)), "digest disagreement: the entries of partition 1");
    }

    @Test
    void aKeyTwiceInOnePartitionIsRefusedThoughBothAddUpToTheDigest(@TempDir Path dir) throws Exception {
        // Red before: the digest check summed both entries and passed while the table held one.
        WarmStart ws = new WarmStart(dir, TOPIC, "v");
        Path file = savedPicture(ws, dir);
        SnapshotFile.Snapshot s = SnapshotFile.read(file);
        List<SnapshotFile.Part> parts = new ArrayList<>(s.parts());
        for (int format : new int[] {SnapshotFile.UNCHECKED_FORMAT, SnapshotFile.FORMAT}) {
            SnapshotFile.Part p0 = s.parts().get(0);
            List<byte[][]> entries = new ArrayList<>(p0.entries());
            List<byte[]> raw = new ArrayList<>(p0.rawFlags());
            byte[] key = entries.get(0)[0];
            entries.add(new byte[][] {key, Pods.bytes(Pods.pod("again", "node-1", 1))});
            raw.add(new byte[] {1});
            parts.set(
                    0,
                    new SnapshotFile.Part(
                            p0.partition(),
                            p0.offsets(),
                            HandMadeSnapshot.digestOf(2, entries, raw, p0.foreign()),
                            entries,
                            raw,
                            p0.foreign()));
            SnapshotWriter.write(file, s.with(format, parts));
            assertRejected(
                    ws.load(expect(List.of(0, 1), 2_000, () -> DAY)),
                    "partition 0 holds " + p0.entries().size()
                            + " distinct keys and 0 distinct filtered-out keys, its file " + entries.size()
                            + " entries and 0 hashes");
        }
    }

    private static Path savedPicture(WarmStart ws, Path dir) {
        ws.save(new SnapshotImage(
                TOPIC,
                ID,
                1_000,
                partitions(List.of(1, 2, 3, 4, 5, 6, 7, 8), false).stream()
                        .map(SnapshotImage::of)
                        .toList()));
        return dir.resolve(TOPIC + ".snapshot");
    }

    private static List<SnapshotFile.Part> offByOne(List<SnapshotFile.Part> parts, int which) {
        List<SnapshotFile.Part> out = new ArrayList<>(parts);
        SnapshotFile.Part p = out.get(which);
        DigestValue d = p.digest();
        out.set(
                which,
                new SnapshotFile.Part(
                        p.partition(),
                        p.offsets(),
                        new DigestValue(d.count(), d.lane0() + 1, d.lane1()),
                        p.entries(),
                        p.rawFlags(),
                        p.foreign()));
        return out;
    }

    private static void assertRejected(WarmStart.Result r, String reason) {
        assertFalse(r.loaded());
        assertEquals(List.of(), r.partitions());
        assertTrue(r.startMode().startsWith("full bootstrap: ") && r.startMode().contains(reason), r.startMode());
    }

    private static WarmStart.Expect expect(
            List<Integer> partitions, long nowMs, java.util.function.LongSupplier retention) {
        return new WarmStart.Expect(ID, partitions, nowMs, 16, retention, StoredValues.none());
    }

    // Two partitions filled through the apply rule (a filtering view keeps node-1's pods and hashes the rest).
    private static List<Partition> partitions(List<Integer> ops, boolean filtering) {
        return partitions(ops, filtering, 2);
    }

    private static List<Partition> partitions(List<Integer> ops, boolean filtering, int digestVersion) {
        ApplyRule<Pod> rule =
                new ApplyRule<>(filtering ? pod -> "node-1".equals(pod.getNode()) : null, null, Pods.CODEC, true);
        List<Partition> parts = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            Partition p = new Partition(id, new PartitionTable(16, EntryHash.forVersion(digestVersion)), null);
            for (int op : ops) {
                if (op % 2 == id) {
                    String key = "pod-" + op % 60;
                    Pod pod = Pods.pod(key, "node-" + op % 3, op);
                    rule.apply(p.table, Pods.key(key), op % 9 == 0 ? null : Pods.bytes(pod), pod, null);
                    p.marks.applied(op);
                }
            }
            p.progress.position = ops.size() + id;
            p.progress.caughtUpAtMs = CAUGHT_UP;
            p.marks.restore(p.marks.applied(), p.marks.applied() + 3);
            parts.add(p);
        }
        return parts;
    }

    private static Map<Long, List<Long>> hashes(PartitionTable t) {
        Map<Long, List<Long>> out = new TreeMap<>();
        t.foreign.forEach((fp, h0, h1) -> out.put(fp, List.of(h0, h1)));
        return out;
    }
}
