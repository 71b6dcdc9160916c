package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.SlicePartitioner;
import io.statecast.common.StatecastHeaders;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SliceProjectionIT {
    static final int SLICE_PARTITIONS = 4; // few: node values share partitions

    @Test
    void theSliceEqualsTheTableProjectedByItsFieldAfterRandomUpsertsDeletesMovesAndCompareAndSets(KafkaFixture kafka) {
        Namespace ns = SliceFixture.provision(kafka, 3, new SliceSpec("by-node", "node", SLICE_PARTITIONS));
        Map<Integer, Long> last = new HashMap<>();
        try (StatecastProducer<Pod> p = SliceAssertions.producer(kafka, ns);
                Materializer m = MaterializerFixture.start(kafka, ns, Map.of())) {
            SliceAssertions.randomOperations(p, new Random(16), 2000, 80, last);
            SliceAssertions.awaitSliceEqualsProjection(kafka, ns, "by-node", m::requestChecksums, last);
        }
        List<ConsumerRecord<byte[], byte[]>> slice = kafka.readToEnd(ns.slice("by-node"));
        SliceAssertions.assertChecksumsEqualTheSliceLog(kafka, ns, "by-node", 3);
        assertTrue(slice.stream().anyMatch(r -> r.value() == null), "moves and deletes wrote tombstones");
        // Pending pods (node null) are in no slice, though they are in the table.
        Map<String, ConsumerRecord<byte[], byte[]>> table = new HashMap<>();
        kafka.readToEnd(ns.state()).forEach(r -> table.put(new String(r.key(), StandardCharsets.UTF_8), r));
        long pending = table.values().stream()
                .filter(r -> r.value() != null)
                .filter(r -> new io.statecast.schemas.SliceValueReader(
                                        io.statecast.schemas.SliceField.parse("node"),
                                        io.statecast.schemas.SchemaResolver.builtIn())
                                .readStateRecord(r.value())
                        == null)
                .count();
        assertTrue(pending > 0, "some pods are pending");
    }

    @Test
    void aMoveDeleteOrNullFieldWritesATombstoneCarryingTheOldValueToItsPartition(KafkaFixture kafka) throws Exception {
        Namespace ns = SliceFixture.provision(kafka, 3, new SliceSpec("by-node", "node", 16));
        String a = "node-a";
        String b = SliceAssertions.valueInAnotherPartition(a, 16);
        try (StatecastProducer<Pod> p = SliceAssertions.producer(kafka, ns);
                Materializer m = MaterializerFixture.start(kafka, ns, Map.of())) {
            Map<Integer, Long> last = new HashMap<>();
            Receipt created = SliceAssertions.track(
                    p.upsert("default/web-1", SliceFixture.pod("web-1", a, 0)).get(), last);
            Receipt moved = SliceAssertions.track(
                    p.upsert("default/web-1", SliceFixture.pod("web-1", b, 0)).get(), last);
            SliceAssertions.track(
                    p.upsert("default/web-2", SliceFixture.pod("web-2", a, 0)).get(), last);
            Receipt pending = SliceAssertions.track(
                    p.upsert("default/web-2", SliceFixture.pod("web-2", null, 0))
                            .get(),
                    last);
            SliceAssertions.track(
                    p.upsert("default/web-3", SliceFixture.pod("web-3", b, 0)).get(), last);
            Receipt deleted = SliceAssertions.track(p.delete("default/web-3").get(), last);
            SliceAssertions.awaitSliceEqualsProjection(kafka, ns, "by-node", m::requestChecksums, last);
            List<ConsumerRecord<byte[], byte[]>> slice = kafka.readToEnd(ns.slice("by-node"));
            ConsumerRecord<byte[], byte[]> move = SliceAssertions.tombstone(slice, "default/web-1");
            assertEquals(SlicePartitioner.partitionOf(a, 16), move.partition(), "to the old value's partition");
            assertEquals(a, SliceFixture.sliceOf(move));
            assertEquals(2, StatecastHeaders.readLong(move.headers(), StatecastHeaders.VERSION, -1));
            assertEquals(moved.offset(), SliceFixture.srcOffset(move));
            assertEquals(moved.partition(), SliceFixture.srcPartition(move));
            ConsumerRecord<byte[], byte[]> toNull = SliceAssertions.tombstone(slice, "default/web-2");
            assertEquals(a, SliceFixture.sliceOf(toNull));
            assertEquals(pending.offset(), SliceFixture.srcOffset(toNull));
            ConsumerRecord<byte[], byte[]> delete = SliceAssertions.tombstone(slice, "default/web-3");
            assertEquals(b, SliceFixture.sliceOf(delete));
            assertEquals(deleted.offset(), SliceFixture.srcOffset(delete));
            ConsumerRecord<byte[], byte[]> first = slice.stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("default/web-1"))
                    .filter(r -> r.value() != null && r.partition() == move.partition())
                    .findFirst()
                    .orElseThrow();
            assertEquals(created.offset(), SliceFixture.srcOffset(first));
            assertEquals(1, StatecastHeaders.readLong(first.headers(), StatecastHeaders.VERSION, -1));
        }
    }

    @Test
    void aSliceAddedToAPopulatedNamespaceIsBackFilledWhileChangesKeepArriving(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 3);
        Map<Integer, Long> last = new HashMap<>();
        try (StatecastProducer<Pod> p = SliceAssertions.producer(kafka, ns);
                Materializer m =
                        MaterializerFixture.start(kafka, ns, Map.of(MaterializerConfig.SLICE_BACKFILL_BATCH, 3))) {
            SliceAssertions.randomOperations(p, new Random(3), 1500, 80, last);
            try (TopicProvisioner t = new TopicProvisioner(kafka.clientConfig())) {
                t.addSlice(ns, new SliceSpec("by-node", "node", SLICE_PARTITIONS), null); // schema from <ns>.schemas
                Random random = new Random(4);
                // Changes keep arriving, 50 per look, until every source partition reports its back-fill done.
                Conditions.waitFor(
                        "topics describe to report the slice back-filled",
                        Duration.ofSeconds(90),
                        () -> {
                            SliceAssertions.randomOperations(p, random, 50, 80, last);
                            return t.slices(ns).get(0).backfill();
                        },
                        "back-filled"::equals);
            }
            SliceAssertions.randomOperations(p, new Random(5), 200, 80, last);
            SliceAssertions.awaitSliceEqualsProjection(kafka, ns, "by-node", m::requestChecksums, last);
        }
        SliceAssertions.assertChecksumsEqualTheSliceLog(kafka, ns, "by-node", 3);
    }

    @Test
    void aSchemaEvolutionThatDropsTheSliceFieldPutsThoseEntitiesInNoSlice(KafkaFixture kafka) throws Exception {
        Namespace ns = SliceFixture.provision(kafka, 2, new SliceSpec("by-node", "node", SLICE_PARTITIONS));
        Schema v2 = new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"io.statecast.schemas.demo\","
                                + "\"fields\":[{\"name\":\"namespace\",\"type\":\"string\"},{\"name\":\"name\",\"type\":\"string\"}]}");
        GenericRecord dropped = new GenericData.Record(v2);
        dropped.put("namespace", "default");
        dropped.put("name", "web-1");
        try (StatecastProducer<Pod> p = SliceAssertions.producer(kafka, ns);
                StatecastProducer<GenericRecord> p2 = StatecastProducer.builder(v2)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build();
                Materializer m = MaterializerFixture.start(kafka, ns, Map.of())) {
            Map<Integer, Long> last = new HashMap<>();
            SliceAssertions.track(
                    p.upsert("default/web-1", SliceFixture.pod("web-1", "node-1", 0))
                            .get(),
                    last);
            SliceAssertions.track(
                    p.upsert("default/web-2", SliceFixture.pod("web-2", "node-1", 0))
                            .get(),
                    last);
            Receipt r =
                    SliceAssertions.track(p2.upsert("default/web-1", dropped).get(), last);
            SliceAssertions.awaitSliceEqualsProjection(kafka, ns, "by-node", m::requestChecksums, last);
            Map<Integer, Map<String, SliceFixture.Entry>> contents =
                    SliceFixture.contents(kafka.readToEnd(ns.slice("by-node")));
            assertEquals(
                    List.of("default/web-2"),
                    contents.values().stream().flatMap(e -> e.keySet().stream()).toList(),
                    "web-1, written with a schema without the field, left the slice");
            assertEquals(
                    r.offset(),
                    SliceFixture.srcOffset(
                            SliceAssertions.tombstone(kafka.readToEnd(ns.slice("by-node")), "default/web-1")));
            assertTrue(m.scrapeMetrics().contains("statecast_materializer_accepted_total"), "the job kept running");
            assertEquals(3, m.counts().accepted());
        }
    }
}
