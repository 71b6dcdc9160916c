package io.statecast.materializer;

import static io.statecast.materializer.MaterializerFixture.key;
import static io.statecast.materializer.MaterializerFixture.version;
import static io.statecast.testkit.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.DigestValue;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastHeaders;
import io.statecast.producer.Change;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ChecksumsAndRestartIT {

    @Test
    void checksumsEqualDigestsRecomputedFromTheLogAndARestartKeepsVersionsAndDigestsContinuous(KafkaFixture kafka) {
        // The first run emits digest version 1, the restart (default: 2) sums its partitions again once.
        Namespace ns = MaterializerFixture.provision(kafka, 3);
        Map<Integer, Long> lastOffsets = new HashMap<>();
        try (StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            Map<String, Object> same = Map.of(MaterializerConfig.APPLICATION_ID, "app-" + ns.name());
            Map<String, Object> v1 =
                    Map.of(MaterializerConfig.APPLICATION_ID, "app-" + ns.name(), MaterializerConfig.DIGEST_VERSION, 1);
            try (Materializer m = MaterializerFixture.start(kafka, ns, v1)) {
                randomOperations(p, new Random(42), 2000, lastOffsets);
                awaitChecksumsCovering(kafka, ns, m, lastOffsets);
            }
            // Restart on a new, empty state directory: the stores come back from their changelogs.
            try (Materializer m = MaterializerFixture.start(kafka, ns, same)) {
                randomOperations(p, new Random(7), 1000, lastOffsets);
                awaitChecksumsCovering(kafka, ns, m, lastOffsets);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> state = kafka.readToEnd(ns.state());
        assertGaplessVersions(state);
        List<Checksum> checksums = MaterializerFixture.checksums(kafka, ns);
        assertTrue(checksums.size() >= 6, "checksums emitted: " + checksums.size());
        assertEquals(
                java.util.Set.of(1, 2),
                checksums.stream().map(Checksum::getDigestVersion).collect(java.util.stream.Collectors.toSet()));
        assertEquals(2, checksums.get(checksums.size() - 1).getDigestVersion());
        for (Checksum c : checksums) {
            DigestValue recomputed =
                    MaterializerFixture.digestFromLog(state, c.getPartition(), c.getSrcOffset(), c.getDigestVersion());
            assertTrue(
                    recomputed.matches(c.getCount(), c.getLanes()),
                    "checksum " + c + " vs digest recomputed from the log " + recomputed);
        }
        // Every mark names the last state record before it (sc.stateSrcOffset), across the restart too.
        int marks = 0;
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.checksums())) {
            Object v = io.statecast.schemas.Envelopes.decodeChecksumsValue(r.value());
            long src = v instanceof Checksum c ? c.getSrcOffset() : ((io.statecast.schemas.Progress) v).getSrcOffset();
            long expected = state.stream()
                    .filter(s -> s.partition() == r.partition())
                    .mapToLong(s -> StatecastHeaders.readLong(s.headers(), StatecastHeaders.SRC_OFFSET, -1))
                    .filter(o -> o <= src)
                    .max()
                    .orElse(-1);
            assertEquals(
                    expected,
                    StatecastHeaders.readLong(r.headers(), StatecastHeaders.STATE_SRC_OFFSET, Long.MIN_VALUE),
                    "sc.stateSrcOffset of the mark at srcOffset " + src + " on partition " + r.partition());
            marks++;
        }
        assertTrue(marks >= checksums.size());
    }

    static void randomOperations(StatecastProducer<Node> p, Random random, int n, Map<Integer, Long> lastOffsets) {
        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "node-" + random.nextInt(60);
            int op = random.nextInt(10);
            Change<Node> change = op < 2
                    ? Change.delete(key)
                    : op < 3
                            ? Change.upsert(
                                    key, MaterializerSemanticsIT.node(key, random.nextInt(3)), random.nextInt(3))
                            : Change.upsert(key, MaterializerSemanticsIT.node(key, random.nextInt(5)));
            receipts.add(p.send(change));
        }
        receipts.forEach(r -> {
            Receipt receipt = r.join();
            lastOffsets.merge(receipt.partition(), receipt.offset(), Math::max);
        });
    }

    static void awaitChecksumsCovering(
            KafkaFixture kafka, Namespace ns, Materializer m, Map<Integer, Long> lastOffsets) {
        waitFor("a checksum covering the last change of every partition", Duration.ofSeconds(60), () -> {
            m.requestChecksums();
            Map<Integer, Long> covered = new HashMap<>();
            MaterializerFixture.checksums(kafka, ns)
                    .forEach(c -> covered.merge(c.getPartition(), c.getSrcOffset(), Math::max));
            return lastOffsets.entrySet().stream().allMatch(e -> covered.getOrDefault(e.getKey(), -1L) >= e.getValue());
        });
    }

    static void assertGaplessVersions(List<ConsumerRecord<byte[], byte[]>> state) {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : state) {
            long expected = last.getOrDefault(key(r), 0L) + 1;
            assertEquals(expected, version(r), "version of " + key(r) + " at " + r.partition() + "@" + r.offset());
            last.put(key(r), version(r));
        }
        assertTrue(last.size() > 10, "keys seen: " + last.size());
    }
}
