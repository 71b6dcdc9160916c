package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastHeaders;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partitions added to a namespace: Kafka's default partitioner sends a key to another partition, where the
 * materializer would start it over at version 1 while its last record stays in the old one. The materializer
 * halts before it writes a moved key again, and refuses to start on a namespace that grew. A change written by
 * hand to another partition than its key's is rejected, and its partition goes on.
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PartitionGrowthIT {
    private static final AvroCodec<Node> NODES = AvroCodec.specific(Node.class, SchemaResolver.builtIn());

    @Test
    void partitionsAddedWhileRunningHaltTheMaterializerBeforeAMovedKeyIsWrittenAgain(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 3);
        // 3 -> 4 partitions: one key stays, one moves to another old partition, one to the new partition 3.
        List<String> keys = List.of(
                key(3, 4, (was, now) -> was == now),
                key(3, 4, (was, now) -> now < 3 && was != now),
                key(3, 4, (was, now) -> now == 3));
        try (Materializer m = MaterializerFixture.start(kafka, ns, app(ns))) {
            keys.forEach(k -> upsert(kafka, ns, k, 1));
            awaitAChecksumAfter(kafka, ns, m, keys.size());
            grow(kafka, ns, 4);
            keys.forEach(k -> upsert(kafka, ns, k, 2)); // a producer that sees 4 partitions: two keys move
            Object outcome = Conditions.waitFor(
                    "the materializer halted, or a key written to a second partition of state",
                    Duration.ofSeconds(120),
                    () -> m.halted().isDone() ? m.halted().join() : writtenTwice(kafka, ns),
                    o -> o instanceof Throwable || !((Map<?, ?>) o).isEmpty());
            assertEquals(Map.of(), writtenTwice(kafka, ns), "keys in two partitions of state (key: records)");
            PartitionCountChangedException e = grown((Throwable) outcome);
            assertEquals(List.of(3, 4), List.of(e.was(), e.now()), e.getMessage());
        }
        assertTrue(
                kafka.readToEnd(ns.checksums()).stream()
                        .allMatch(r -> StatecastHeaders.readLong(r.headers(), StatecastHeaders.PARTITIONS, -1) == 3),
                "every mark carries the partition count it was written with");
    }

    @Test
    void aChangeWrittenToAnotherPartitionThanItsKeysIsRejectedAndThePartitionGoesOn(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 2);
        String key = key(2, 2, (was, now) -> now == 0);
        try (Materializer m = MaterializerFixture.start(kafka, ns, app(ns))) {
            upsert(kafka, ns, "registers-the-schema", 1);
            kafka.produce(ns.changes(), List.of(new ProducerRecord<>(ns.changes(), 1, bytes(key), change(key))));
            String after = key(2, 2, (was, now) -> now == 1);
            upsert(kafka, ns, after, 1);
            Conditions.waitFor(
                    after + " in state",
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns.state()).stream()
                            .anyMatch(r -> MaterializerFixture.key(r).equals(after)));
            assertEquals(
                    List.of(),
                    kafka.readToEnd(ns.state()).stream()
                            .filter(r -> MaterializerFixture.key(r).equals(key))
                            .map(PartitionGrowthIT::describe)
                            .toList(),
                    "state records of the change written to the wrong partition");
            List<Rejection> rejections = kafka.readToEnd(ns.rejections()).stream()
                    .map(r -> Envelopes.rejection().decode(r.value()))
                    .toList();
            assertEquals(1, rejections.size(), rejections.toString());
            assertEquals(RejectionReason.INVALID, rejections.get(0).getReason());
            assertTrue(
                    rejections.get(0).getMessage().contains("partition 0"),
                    rejections.get(0).getMessage());
            assertFalse(m.halted().isDone(), "the materializer runs on");
        }
    }

    @Test
    void aMaterializerRefusesToStartOnANamespaceWhosePartitionsWereAdded(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 2);
        try (Materializer m = MaterializerFixture.start(kafka, ns, app(ns))) {
            upsert(kafka, ns, key(2, 4, (was, now) -> now >= 2), 1);
            awaitAChecksumAfter(kafka, ns, m, 1);
        }
        grow(kafka, ns, 4);
        PartitionCountChangedException e = assertThrows(
                PartitionCountChangedException.class,
                () -> MaterializerFixture.start(kafka, ns, app(ns)).close());
        assertEquals(List.of(2, 4), List.of(e.was(), e.now()), e.getMessage());
    }

    // Kafka Streams' default metadata.max.age.ms (5 min): it finds the new partitions long after the first
    // moved key arrives (then it fails on its changelogs' partition counts).
    private static Map<String, Object> app(Namespace ns) {
        return Map.of(MaterializerConfig.APPLICATION_ID, "app-" + ns.name());
    }

    private static void awaitAChecksumAfter(KafkaFixture kafka, Namespace ns, Materializer m, int stateRecords) {
        Conditions.waitForEquals(
                "state records",
                Duration.ofSeconds(60),
                stateRecords,
                () -> kafka.readToEnd(ns.state()).size());
        m.requestChecksums();
        Conditions.waitFor(
                "a checksum",
                Duration.ofSeconds(60),
                () -> !MaterializerFixture.checksums(kafka, ns).isEmpty());
    }

    // Keys of state found in more than one partition, with their records.
    private static Map<String, List<String>> writtenTwice(KafkaFixture kafka, Namespace ns) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey =
                kafka.readToEnd(ns.state()).stream().collect(Collectors.groupingBy(MaterializerFixture::key));
        Map<String, List<String>> out = new TreeMap<>();
        byKey.forEach((k, rs) -> {
            if (rs.stream().map(ConsumerRecord::partition).distinct().count() > 1) {
                out.put(k, rs.stream().map(PartitionGrowthIT::describe).toList());
            }
        });
        return out;
    }

    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        return MaterializerFixture.key(r) + " in partition " + r.partition() + " at version "
                + MaterializerFixture.version(r);
    }

    private static PartitionCountChangedException grown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PartitionCountChangedException c) {
                return c;
            }
        }
        return fail("halted on another failure than PartitionCountChangedException", e);
    }

    // The first key whose partition under Kafka's default partitioner, with `before` and with `after`
    // partitions, is as wanted.
    private static String key(int before, int after, BiPredicate<Integer, Integer> wanted) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> "node-" + i)
                .filter(k -> wanted.test(partition(k, before), partition(k, after)))
                .findFirst()
                .orElseThrow();
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(bytes(key))) % partitions;
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] change(String key) {
        return Envelopes.changeEvent()
                .encode(ChangeEvent.newBuilder()
                        .setOp(Op.UPSERT)
                        .setPayload(ByteBuffer.wrap(NODES.encode(MaterializerSemanticsIT.node(key, 1))))
                        .setProducerId("it")
                        .setClientTimestamp(Instant.ofEpochMilli(1))
                        .build());
    }

    private static void grow(KafkaFixture kafka, Namespace ns, int partitions) {
        KafkaFixture.get(kafka.admin()
                .createPartitions(Map.of(
                        ns.changes(), NewPartitions.increaseTo(partitions),
                        ns.state(), NewPartitions.increaseTo(partitions),
                        ns.checksums(), NewPartitions.increaseTo(partitions)))
                .all());
        kafka.awaitPartitionsAnswer(List.of(ns.changes(), ns.state(), ns.checksums()), Duration.ofSeconds(60));
    }

    private static Receipt upsert(KafkaFixture kafka, Namespace ns, String key, int cpu) {
        try (StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .producerId("it")
                .build()) {
            return p.upsert(key, MaterializerSemanticsIT.node(key, cpu)).join();
        }
    }
}
