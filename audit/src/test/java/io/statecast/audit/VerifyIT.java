package io.statecast.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.schemas.Checksum;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Auditor#verify()} on scripted logs: honest, forged, compacted, and with a history enabled late. */
@StatecastKafkaTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class VerifyIT {

    static int sum(VerifyReport r, java.util.function.ToIntFunction<VerifyReport.PartitionResult> f) {
        return r.partitions().stream().mapToInt(f).sum();
    }

    @Test
    void anHonestRunVerifiesEveryCheckpointFromACompleteHistory(KafkaFixture kafka) {
        FakeMaterializer m = ScriptedAuditIT.script(kafka, true);
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            VerifyReport r = auditor.verify();
            assertTrue(r.ok(), r.toString());
            assertEquals(6, sum(r, VerifyReport.PartitionResult::verified), "3 rounds x 2 partitions: " + r);
            assertEquals(
                    List.of(m.ns.history(), m.ns.history()),
                    r.partitions().stream()
                            .map(VerifyReport.PartitionResult::source)
                            .toList());
        }
    }

    @Test
    void aChecksumForgedWithARawProducerFailsTheAuditNamingItsPartition(KafkaFixture kafka) {
        FakeMaterializer m = ScriptedAuditIT.script(kafka, true);
        // Partition 1 at srcOffset 2 held a v2 and c v1: claim one entry with made-up lanes.
        Checksum forged = Checksum.newBuilder()
                .setPartition(1)
                .setSrcOffset(2)
                .setCount(1)
                .setLanes(List.of(7L, 8L))
                .setEmittedAt(Instant.now())
                .build();
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", false, "acks", "1"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            raw.send(FakeMaterializer.checksumRecord(m.ns, forged)).get();
        } catch (Exception e) {
            throw new AssertionError("forging failed", e);
        }
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            VerifyReport r = auditor.verify();
            assertFalse(r.ok(), r.toString());
            assertEquals(0, r.partitions().get(0).mismatched(), r.toString());
            VerifyReport.PartitionResult p1 = r.partitions().get(1);
            assertEquals(1, p1.mismatched(), r.toString());
            assertEquals(1, p1.mismatches().get(0).partition());
            assertEquals(2, p1.mismatches().get(0).srcOffset());
            assertEquals(2, p1.mismatches().get(0).replayedCount(), "a v2 and c v1 at that point");
            assertEquals(3, p1.verified(), "the honest checksums still verify");
        }
    }

    @Test
    void aCompactedStateLogRaisesNoFalseMismatchAndCountsWhatItCannotCompare(KafkaFixture kafka) {
        FakeMaterializer m = new FakeMaterializer(kafka, 2, false);
        for (int round = 1; round <= 4; round++) {
            for (String k : List.of("a", "b", "c", "d")) {
                m.upsert(k, round);
            }
            m.delete(round % 2 == 0 ? "b" : "c").checksums();
        }
        m.flush();
        kafka.forceCompaction(m.ns.state(), Duration.ofSeconds(60));
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            VerifyReport r = auditor.verify();
            assertTrue(r.ok(), "no false mismatch on an honest, compacted log: " + r);
            assertEquals(
                    2, sum(r, VerifyReport.PartitionResult::verified), "the last checkpoint of each partition: " + r);
            assertEquals(6, sum(r, VerifyReport.PartitionResult::notComparable), r.toString());
            assertTrue(
                    r.partitions().stream().allMatch(p -> p.skippedRecords() >= 1),
                    "the cleaner test's roll markers are skipped, counted: " + r);
            Table t = auditor.asOf(PointInTime.latest());
            assertEquals(Map.of("a", 4L, "c", 6L, "d", 4L), ScriptedAuditIT.versions(t));
            assertTrue(t.skipped() >= 2, t.toString());
        }
    }

    @Test
    void aHistoryEnabledLateIsNotTrustedForOldCheckpointsAndRaisesNoFalseMismatch(KafkaFixture kafka) {
        FakeMaterializer m = new FakeMaterializer(kafka, 2, false);
        m.upsert("a", 1)
                .upsert("b", 1)
                .upsert("c", 1)
                .upsert("d", 1)
                .checksums()
                .flush();
        m.enableHistoryLate();
        m.upsert("a", 2).delete("b").checksums().flush();
        try (Auditor auditor = new Auditor(kafka.clientConfig(), m.ns)) {
            VerifyReport r = auditor.verify();
            assertTrue(r.ok(), r.toString());
            assertEquals(m.ns.state(), r.partitions().get(0).source(), r.toString());
            assertEquals(m.ns.state(), r.partitions().get(1).source(), r.toString());
            assertEquals(
                    2, sum(r, VerifyReport.PartitionResult::verified), "the end of each partition, from state: " + r);
            Table t = auditor.asOf(PointInTime.latest());
            assertTrue(t.caveat() != null && t.caveat().contains("misses versions"), t.toString());
        }
    }
}
