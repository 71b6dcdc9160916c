package io.statecast.materializer;

import static io.statecast.materializer.ChecksumsAndRestartIT.assertGaplessVersions;
import static io.statecast.materializer.ChecksumsAndRestartIT.awaitChecksumsCovering;
import static io.statecast.materializer.ChecksumsAndRestartIT.randomOperations;
import static io.statecast.materializer.MaterializerFixture.key;
import static io.statecast.materializer.MaterializerFixture.nodeProducer;
import static io.statecast.materializer.MaterializerFixture.startAs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A materializer whose stores and changelogs are gone (a new {@code application.id}, or the changelog
 * topics deleted) while {@code <ns>.state} holds everything: it rebuilds table and meta from the state log
 * before processing, so versions continue, compare-and-set sees the real versions, checksums match and
 * nothing is applied twice. Before, versions restarted at 1 (or every change was replayed from offset 0).
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StoreRebuildIT {

    @Test
    void aNewApplicationIdContinuesVersionsDigestsAndRejectionsFromTheStateLog(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 3);
        Map<Integer, Long> last = new HashMap<>();
        Receipt refused;
        try (StatecastProducer<Node> p = nodeProducer(kafka, ns)) {
            try (Materializer m = startAs(kafka, ns, "first-" + ns.name())) {
                randomOperations(p, new Random(42), 1500, last);
                p.upsert("cas", MaterializerSemanticsIT.node("cas", 1), 0).join(); // v1
                awaitChecksumsCovering(kafka, ns, m, last);
                refused = p.upsert("cas", MaterializerSemanticsIT.node("cas", 2), 5)
                        .join(); // the last input
                Conditions.waitFor(
                        "the refused compare-and-set is in " + ns.rejections(),
                        Duration.ofSeconds(60),
                        () -> rejectionsOf(kafka, ns, refused).size() == 1);
            }
            try (Materializer m = startAs(kafka, ns, "second-" + ns.name())) {
                last.merge(refused.partition(), refused.offset(), Math::max);
                randomOperations(p, new Random(7), 1000, last);
                Receipt cas = p.upsert("cas", MaterializerSemanticsIT.node("cas", 3), 1)
                        .join();
                last.merge(cas.partition(), cas.offset(), Math::max);
                awaitChecksumsCovering(kafka, ns, m, last);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> state = kafka.readToEnd(ns.state());
        assertGaplessVersions(state);
        assertEquals(
                List.of(1L, 2L),
                state.stream()
                        .filter(r -> key(r).equals("cas"))
                        .map(MaterializerFixture::version)
                        .toList(),
                "the compare-and-set against the first instance's version 1 was accepted");
        assertChecksumsEqualTheLog(kafka, ns, state);
        List<Rejection> again = rejectionsOf(kafka, ns, refused);
        assertEquals(1, again.size(), "the refused change was not processed twice: " + again);
        assertEquals(RejectionReason.VERSION_CONFLICT, again.get(0).getReason());
    }

    @Test
    void lostChangelogsOfTheSameApplicationIdAreRebuiltFromTheStateLog(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 3);
        String appId = "app-" + ns.name();
        Map<Integer, Long> last = new HashMap<>();
        try (StatecastProducer<Node> p = nodeProducer(kafka, ns)) {
            try (Materializer m = startAs(kafka, ns, appId)) {
                randomOperations(p, new Random(11), 1500, last);
                awaitChecksumsCovering(kafka, ns, m, last);
            }
            deleteChangelogs(kafka, appId);
            try (Materializer m = startAs(kafka, ns, appId)) { // and a new, empty state directory
                randomOperations(p, new Random(12), 1000, last);
                awaitChecksumsCovering(kafka, ns, m, last);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> state = kafka.readToEnd(ns.state());
        assertGaplessVersions(state);
        assertChecksumsEqualTheLog(kafka, ns, state);
    }

    static void assertChecksumsEqualTheLog(
            KafkaFixture kafka, Namespace ns, List<ConsumerRecord<byte[], byte[]>> state) {
        List<Checksum> checksums = MaterializerFixture.checksums(kafka, ns);
        assertTrue(checksums.size() >= 6, "checksums: " + checksums.size());
        for (Checksum c : checksums) {
            DigestValue recomputed =
                    MaterializerFixture.digestFromLog(state, c.getPartition(), c.getSrcOffset(), c.getDigestVersion());
            assertTrue(recomputed.matches(c.getCount(), c.getLanes()), c + " vs the log's " + recomputed);
        }
    }

    private static List<Rejection> rejectionsOf(KafkaFixture kafka, Namespace ns, Receipt change) {
        return kafka.readToEnd(ns.rejections()).stream()
                .map(r -> Envelopes.rejection().decode(r.value()))
                .filter(r -> r.getPartition() == change.partition() && r.getOffset() == change.offset())
                .toList();
    }

    private static void deleteChangelogs(KafkaFixture kafka, String appId) {
        Set<String> changelogs = KafkaFixture.get(kafka.admin().listTopics().names()).stream()
                .filter(t -> t.startsWith(appId + "-") && t.endsWith("-changelog"))
                .collect(Collectors.toSet());
        assertTrue(changelogs.size() >= 2, "changelogs of " + appId + ": " + changelogs);
        KafkaFixture.get(kafka.admin().deleteTopics(changelogs).all());
        Conditions.waitFor(
                "the changelogs of " + appId + " are gone",
                Duration.ofSeconds(60),
                () -> KafkaFixture.get(kafka.admin().listTopics().names()).stream()
                        .noneMatch(changelogs::contains));
    }
}
