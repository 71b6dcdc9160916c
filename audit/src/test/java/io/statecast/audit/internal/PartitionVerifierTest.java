package io.statecast.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.statecast.audit.VerifyReport;
import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import io.statecast.schemas.Checksum;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionVerifierTest {

    /** One record of a scripted log: key, value (null = tombstone), srcOffset, timestamp. */
    record Rec(String key, String value, long src, long ts) {}

    // A scripted partition: a overwritten twice, b created then deleted, c created.
    static final List<Rec> LOG = List.of(
            new Rec("a", "a1", 0, 1000),
            new Rec("b", "b1", 1, 2000),
            new Rec("a", "a2", 3, 3000),
            new Rec("b", null, 4, 4000),
            new Rec("c", "c1", 6, 5000),
            new Rec("a", "a3", 7, 6000));

    /** The honest checksum after every record whose srcOffset is at or before {@code src}, computed independently. */
    static Checksum honest(long src) {
        return honest(src, Digest.VERSION);
    }

    /** The same in digest version {@code version}. */
    static Checksum honest(long src, int version) {
        Map<String, String> table = new HashMap<>();
        LOG.stream().filter(r -> r.src() <= src).forEach(r -> {
            if (r.value() == null) {
                table.remove(r.key());
            } else {
                table.put(r.key(), r.value());
            }
        });
        Digest d = new Digest(EntryHash.forVersion(version));
        table.forEach((k, v) -> d.add(bytes(k), bytes(v)));
        return Checksum.newBuilder(checksum(src, d.value()))
                .setDigestVersion(version)
                .build();
    }

    static Checksum checksum(long src, DigestValue v) {
        return Checksum.newBuilder()
                .setPartition(0)
                .setDigestVersion(Digest.VERSION)
                .setSrcOffset(src)
                .setCount(v.count())
                .setLanes(v.lanes())
                .setEmittedAt(Instant.EPOCH)
                .build();
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static VerifyReport.PartitionResult run(List<Rec> log, List<Checksum> checks, Comparability rule) {
        PartitionVerifier v = new PartitionVerifier(0, "ns.state", checks, rule);
        log.forEach(r -> v.accept(bytes(r.key()), bytes(r.value()), r.src(), r.ts()));
        return v.finish(null);
    }

    @Test
    void everyHonestChecksumOfAnAppendOnlyLogIsVerified() {
        List<Checksum> checks = new ArrayList<>();
        for (long src = 0; src <= 8; src++) {
            checks.add(honest(src));
        }
        VerifyReport.PartitionResult r = run(LOG, checks, Comparability.appendOnly());
        assertEquals(9, r.verified(), r.toString());
        assertEquals(0, r.mismatched());
    }

    @Test
    void aForgedChecksumIsAMismatchNamingPartitionAndCheckpoint() {
        Checksum forged = checksum(4, new DigestValue(1, 42, 43));
        VerifyReport.PartitionResult r = run(LOG, List.of(honest(3), forged, honest(7)), Comparability.appendOnly());
        assertEquals(2, r.verified());
        assertEquals(1, r.mismatched());
        VerifyReport.Mismatch m = r.mismatches().get(0);
        assertEquals(4, m.srcOffset());
        assertEquals(honest(4).getCount(), m.replayedCount());
        assertEquals(
                "partition 0 at srcOffset 4: checksum count=1 lanes=[42, 43], replayed count=1 lanes="
                        + honest(4).getLanes(),
                m.describe());
    }

    @Test
    void aCompactedLogWithoutLagJudgesOnlyTheEndAndNeverRaisesAFalseMismatch() {
        // What the cleaner leaves of LOG: each key's last record (b's tombstone included).
        List<Rec> compacted = List.of(LOG.get(3), LOG.get(4), LOG.get(5));
        List<Checksum> checks = List.of(honest(1), honest(3), honest(4), honest(6), honest(9));
        VerifyReport.PartitionResult r = run(compacted, checks, Comparability.compacted(0, 10_000, 0));
        assertEquals(0, r.mismatched(), r.toString());
        assertEquals(1, r.verified(), "only the checkpoint at the end: " + r);
        assertEquals(4, r.notComparable());
    }

    @Test
    void checkpointsFollowedOnlyByRecordsYoungerThanTheLagAreJudged() {
        // Lag 2500 ms at now = 6000: records after ts 3500 (+ margin 0) were never cleanable.
        List<Checksum> checks = List.of(honest(1), honest(4), honest(6));
        VerifyReport.PartitionResult r = run(LOG, checks, Comparability.compacted(2500, 6000, 0));
        assertEquals(2, r.verified(), "checkpoints 4 (next record at 5000) and 6 (next at 6000): " + r);
        assertEquals(1, r.notComparable(), "checkpoint 1: the next record (3000) may have been cleanable");
    }

    @Test
    void aDigestVersionThisLibraryDoesNotComputeIsNotComparable() {
        Checksum v3 = Checksum.newBuilder(honest(7))
                .setDigestVersion(3)
                .setLanes(List.of(0L, 0L))
                .build();
        VerifyReport.PartitionResult r = run(LOG, List.of(v3), Comparability.appendOnly());
        assertEquals(1, r.notComparable());
        assertEquals(0, r.mismatched());
    }

    @Test
    void checksumsOfVersions1And2InOneLogAreEachVerifiedAndAForgedOneOfEitherIsFound() {
        // a materializer switched from digest version 1 to 2 half-way through the log
        Checksum forgedV1 =
                Checksum.newBuilder(honest(5, 1)).setLanes(List.of(1L, 2L)).build();
        List<Checksum> checks = List.of(honest(1, 1), honest(3, 1), forgedV1, honest(6, 2), honest(8, 2));
        VerifyReport.PartitionResult r = run(LOG, checks, Comparability.appendOnly());
        assertEquals(4, r.verified(), r.toString());
        assertEquals(1, r.mismatched());
        assertEquals(5, r.mismatches().get(0).srcOffset());
        assertNotEquals(honest(8, 1).getLanes(), honest(8, 2).getLanes());
    }

    @Test
    void skippedRecordsAreCountedAndLeftOutOfTheDigest() {
        PartitionVerifier v = new PartitionVerifier(0, "ns.state", List.of(honest(7)), Comparability.appendOnly());
        LOG.forEach(r -> v.accept(bytes(r.key()), bytes(r.value()), r.src(), r.ts()));
        v.skip();
        VerifyReport.PartitionResult r = v.finish("note");
        assertEquals(1, r.skippedRecords());
        assertEquals(1, r.verified());
        assertEquals("note", r.note());
    }
}
