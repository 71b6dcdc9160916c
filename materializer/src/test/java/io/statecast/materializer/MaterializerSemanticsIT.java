package io.statecast.materializer;

import static io.statecast.materializer.MaterializerFixture.key;
import static io.statecast.materializer.MaterializerFixture.srcOffset;
import static io.statecast.testkit.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MaterializerSemanticsIT {

    static Node node(String name, int cpu) {
        return Node.newBuilder()
                .setName(name)
                .setZone("z1")
                .setCpuMillis(cpu)
                .setMemoryBytes(1L << 34)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    @Test
    void versionsCasNoOpsTombstonesAndEveryRejectionReason(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 2);
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of(MaterializerConfig.MAX_PAYLOAD_BYTES, 2000));
                StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .producerId("it")
                        .build()) {
            p.upsert("a", node("a", 1)).join(); // v1
            p.upsert("a", node("a", 1)).join(); // no-op
            p.upsert("a", node("a", 2)).join(); // v2
            p.upsert("a", node("a", 3), 2).join(); // CAS ok: v3
            p.upsert("a", node("a", 4), 1).join(); // VERSION_CONFLICT
            p.upsert("fresh", node("fresh", 1), 0).join(); // CAS "must not exist": v1
            p.delete("b").join(); // DELETE_OF_ABSENT_KEY
            Receipt deleted = p.delete("a").join(); // tombstone v4
            p.upsert("a", node("a", 5)).join(); // re-create continues: v5
            writeMalformed(kafka, ns);
            p.upsert("after", node("after", 1)).join(); // the job still runs after every bad input

            waitFor(
                    "the change after the bad inputs is materialized",
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns.state()).stream().anyMatch(r -> key(r).equals("after")));

            List<ConsumerRecord<byte[], byte[]>> a = kafka.readToEnd(ns.state()).stream()
                    .filter(r -> key(r).equals("a"))
                    .toList();
            assertEquals(
                    List.of(1L, 2L, 3L, 4L, 5L),
                    a.stream().map(MaterializerFixture::version).toList(),
                    "versions of a");
            ConsumerRecord<byte[], byte[]> tombstone = a.get(3);
            assertNull(tombstone.value(), "a delete is a tombstone");
            assertEquals(deleted.offset(), srcOffset(tombstone), "tombstones carry srcOffset");
            assertEquals(deleted.partition(), tombstone.partition(), "state partition = changes partition");
            assertEquals(3, Envelopes.stateRecord().decode(a.get(2).value()).getVersion());

            Set<RejectionReason> reasons = EnumSet.noneOf(RejectionReason.class);
            for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.rejections())) {
                Rejection rej = Envelopes.rejection().decode(r.value());
                reasons.add(rej.getReason());
                assertEquals(ns.changes(), rej.getTopic());
                assertTrue(rej.getMessage().length() > 5, rej.getMessage());
            }
            assertEquals(
                    EnumSet.of(
                            RejectionReason.VERSION_CONFLICT,
                            RejectionReason.DELETE_OF_ABSENT_KEY,
                            RejectionReason.NULL_KEY,
                            RejectionReason.UNDECODABLE,
                            RejectionReason.UNKNOWN_SCHEMA,
                            RejectionReason.TOO_LARGE,
                            RejectionReason.INVALID),
                    reasons);
            assertEquals(1, m.counts().rejected(RejectionReason.VERSION_CONFLICT));
        }
    }

    // Inputs our producer would refuse to write, written with a raw producer.
    private static void writeMalformed(KafkaFixture kafka, Namespace ns) {
        String t = ns.changes();
        // A compacted topic refuses null keys at the broker; the materializer's check guards a
        // changes topic an operator configured with cleanup.policy=delete.
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(Map.of(
                        new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t),
                        List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                                new org.apache.kafka.clients.admin.ConfigEntry("cleanup.policy", "delete"),
                                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
                .all());
        byte[] unknownPayload = Envelopes.changeEvent()
                .encode(change(Op.UPSERT, new byte[] {(byte) 0xC3, 1, 9, 9, 9, 9, 9, 9, 9, 9, 2}));
        byte[] nullPayload = Envelopes.changeEvent().encode(change(Op.UPSERT, null));
        byte[] big = new byte[3000];
        new Random(1).nextBytes(big);
        kafka.produce(
                t,
                List.of(
                        new ProducerRecord<>(t, 0, null, Envelopes.changeEvent().encode(change(Op.DELETE, null))),
                        new ProducerRecord<>(t, 0, bytes("garbage"), bytes("not avro at all")),
                        new ProducerRecord<>(t, 1, bytes("unknown"), unknownPayload),
                        new ProducerRecord<>(t, 1, bytes("big"), big),
                        new ProducerRecord<>(t, 0, bytes("nopayload"), nullPayload)));
    }

    static ChangeEvent change(Op op, byte[] payload) {
        return ChangeEvent.newBuilder()
                .setOp(op)
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .setProducerId("raw")
                .setClientTimestamp(Instant.now())
                .build();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
