package io.statecast.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastException;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProducerIT {

    static Node node(String name, int padding) {
        return Node.newBuilder()
                .setName(name)
                .setZone("z" + random(padding))
                .setCpuMillis(4000)
                .setMemoryBytes(1L << 34)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    // Random text: lz4 would shrink a repeated character below any size limit.
    static String random(int length) {
        java.util.Random r = new java.util.Random(length);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    static Namespace provision(KafkaFixture kafka, int partitions) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(partitions));
        }
        return ns;
    }

    @Test
    void receiptsNameTheOffsetsAConsumerSees(KafkaFixture kafka) {
        Namespace ns = provision(kafka, 3);
        List<Receipt> receipts = new ArrayList<>();
        try (StatecastProducer<Node> producer = StatecastProducer.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .producerId("test-producer")
                .build()) {
            List<CompletableFuture<Receipt>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                futures.add(producer.upsert("node-" + i, node("node-" + i, 0)));
            }
            futures.add(producer.delete("node-3", 1));
            futures.addAll(producer.send(List.of(Change.upsert("node-4", node("node-4", 1), 1))));
            futures.forEach(f -> receipts.add(f.join()));
        }
        List<ConsumerRecord<byte[], byte[]>> seen = kafka.readToEnd(ns.changes());
        assertEquals(receipts.size(), seen.size());
        AvroCodec<Node> nodes = AvroCodec.specific(Node.class, SchemaResolver.builtIn());
        for (Receipt r : receipts) {
            ConsumerRecord<byte[], byte[]> c = seen.stream()
                    .filter(s -> s.partition() == r.partition() && s.offset() == r.offset())
                    .findFirst()
                    .orElseThrow();
            ChangeEvent e = Envelopes.changeEvent().decode(c.value());
            assertEquals("test-producer", e.getProducerId());
            if (e.getOp() == Op.UPSERT) {
                assertEquals(
                        new String(c.key(), StandardCharsets.UTF_8),
                        nodes.decode(e.getPayload().array()).getName());
            }
        }
        ChangeEvent delete =
                Envelopes.changeEvent().decode(find(seen, receipts.get(30)).value());
        assertEquals(Op.DELETE, delete.getOp());
        assertEquals(1L, delete.getExpectedVersion());
        assertEquals(1, kafka.readToEnd(ns.schemas()).size(), "the payload schema was registered once");
    }

    @Test
    void anAbortedTransactionalBatchIsInvisibleToReadCommittedReaders(KafkaFixture kafka) {
        Namespace ns = provision(kafka, 1);
        // A change bigger than the topic accepts makes the batch fail after its first records were sent.
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, ns.changes()),
                        List.of(new AlterConfigOp(
                                new ConfigEntry("max.message.bytes", "20000"), AlterConfigOp.OpType.SET))))
                .all());
        try (StatecastProducer<Node> producer = StatecastProducer.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .transactionalId("tx-" + ns.name())
                .build()) {
            List<Receipt> committed = producer.sendTransactionally(
                    List.of(Change.upsert("a", node("a", 0)), Change.upsert("b", node("b", 0))));
            assertEquals(2, committed.size());
            StatecastException e = assertThrows(
                    StatecastException.class,
                    () -> producer.sendTransactionally(List.of(
                            Change.upsert("c", node("c", 0)),
                            Change.upsert("d", node("d", 0)),
                            Change.upsert("big", node("big", 50_000)))));
            assertTrue(e.getMessage().contains("aborted"), e.getMessage());
        }
        List<String> keys = kafka.readToEnd(ns.changes()).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .toList();
        assertEquals(List.of("a", "b"), keys);
    }

    @Test
    void settingsThatCouldLoseWritesAreRefused() {
        assertThrows(
                StatecastException.class,
                () -> StatecastProducer.builder(Node.class).kafka(Map.of("acks", "1")));
        assertThrows(
                StatecastException.class,
                () -> StatecastProducer.builder(Node.class).kafka(Map.of("enable.idempotence", "false")));
        assertThrows(StatecastException.class, () -> Change.upsert(null, node("x", 0)));
    }

    private static ConsumerRecord<byte[], byte[]> find(List<ConsumerRecord<byte[], byte[]>> seen, Receipt r) {
        return seen.stream()
                .filter(s -> s.partition() == r.partition() && s.offset() == r.offset())
                .findFirst()
                .orElseThrow();
    }
}
