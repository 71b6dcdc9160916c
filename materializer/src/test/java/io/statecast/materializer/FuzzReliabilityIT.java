package io.statecast.materializer;

import static io.statecast.testkit.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.ReliabilityDoc;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz (-Preliability): 10,000+ malformed inputs written with a raw producer, interleaved with valid
 * writes. Every malformed input lands in rejections with the right reason, the job never stops, and
 * the valid state is exact. Prints one line of figures and writes it to docs/reliability.md.
 */
@StatecastKafkaTest
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FuzzReliabilityIT {
    private static final int MALFORMED = 10_500;

    @Test
    void everyMalformedInputIsRejectedWithItsReasonAndTheValidStateIsExact(KafkaFixture kafka) throws Exception {
        Namespace ns = MaterializerFixture.provision(kafka, 3);
        // Null keys reach the materializer only when changes is not compacted (the broker refuses them otherwise).
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, ns.changes()),
                        List.of(new AlterConfigOp(
                                new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET))))
                .all());
        Random r = new Random(11);
        AvroCodec<Node> nodes = AvroCodec.specific(Node.class, SchemaResolver.builtIn());
        AvroCodec<Pod> pods = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
        Map<RejectionReason, Integer> expected = new EnumMap<>(RejectionReason.class);
        Map<String, byte[]> table = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
        int validWrites = 0;
        long t0 = System.nanoTime();
        try (Materializer m =
                MaterializerFixture.start(kafka, ns, Map.of(MaterializerConfig.MAX_PAYLOAD_BYTES, 4096))) {
            for (int i = 0; i < MALFORMED; i++) {
                RejectionReason reason = malformed(r, ns, nodes, pods, batch);
                expected.merge(reason, 1, Integer::sum);
                if (i % 3 == 0) { // a valid write between the bad ones
                    String key = "node-" + r.nextInt(500);
                    byte[] payload = nodes.encode(node(key, r.nextInt(1_000_000)));
                    batch.add(new ProducerRecord<>(
                            ns.changes(), key.getBytes(StandardCharsets.UTF_8), change(Op.UPSERT, payload)));
                    table.put(key, payload);
                    validWrites++;
                }
                if (batch.size() >= 2000) {
                    kafka.produce(ns.changes(), batch);
                    batch.clear();
                }
            }
            kafka.produce(ns.changes(), batch);
            int total = expected.values().stream().mapToInt(Integer::intValue).sum();
            waitFor(
                    "at least " + total + " rejections (every malformed input)",
                    Duration.ofMinutes(5),
                    () -> kafka.readToEnd(ns.rejections()).size(),
                    n -> n >= total);
            assertEquals(KafkaStreams.State.RUNNING, m.state(), "the job never stopped");

            Map<RejectionReason, Integer> seen = new EnumMap<>(RejectionReason.class);
            for (ConsumerRecord<byte[], byte[]> rec : kafka.readToEnd(ns.rejections())) {
                Rejection rej = Envelopes.rejection().decode(rec.value());
                seen.merge(rej.getReason(), 1, Integer::sum);
            }
            assertEquals(expected, seen, "rejections by reason");

            Map<String, byte[]> state = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> rec : kafka.readToEnd(ns.state())) {
                String key = new String(rec.key(), StandardCharsets.UTF_8);
                ByteBuffer p = Envelopes.stateRecord().decode(rec.value()).getPayload();
                byte[] b = new byte[p.remaining()];
                p.duplicate().get(b);
                state.put(key, b);
            }
            assertEquals(table.keySet(), state.keySet());
            table.forEach((k, v) -> assertTrue(Arrays.equals(v, state.get(k)), "payload of " + k));
            String line = String.format(
                    "fuzz: %d malformed inputs (%s) among %d valid writes; rejected with the right reason: %d (100%%);"
                            + " job running: yes; valid state exact: %d keys; %.0f s",
                    total, seen, validWrites, total, table.size(), (System.nanoTime() - t0) / 1e9);
            ReliabilityDoc.append(line);
        }
    }

    private static RejectionReason malformed(
            Random r,
            Namespace ns,
            AvroCodec<Node> nodes,
            AvroCodec<Pod> pods,
            List<ProducerRecord<byte[], byte[]>> batch) {
        String t = ns.changes();
        byte[] key = ("bad-" + r.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
        int kind = r.nextInt(7);
        switch (kind) {
            case 0: { // random bytes
                byte[] b = new byte[1 + r.nextInt(300)];
                r.nextBytes(b);
                b[0] = 0x00; // never accidentally the single-object marker
                batch.add(new ProducerRecord<>(t, key, b));
                return RejectionReason.UNDECODABLE;
            }
            case 1: { // truncated Avro
                byte[] good = change(Op.UPSERT, nodes.encode(node("x", 1)));
                batch.add(new ProducerRecord<>(t, key, Arrays.copyOf(good, 10 + r.nextInt(good.length - 12))));
                return RejectionReason.UNDECODABLE;
            }
            case 2: { // wrong envelope fingerprint
                byte[] good = change(Op.UPSERT, nodes.encode(node("x", 1)));
                good[2 + r.nextInt(8)] ^= (byte) (1 + r.nextInt(255));
                batch.add(new ProducerRecord<>(t, key, good));
                return RejectionReason.UNKNOWN_SCHEMA;
            }
            case 3: // null key
                batch.add(new ProducerRecord<>(t, null, change(Op.UPSERT, nodes.encode(node("x", 1)))));
                return RejectionReason.NULL_KEY;
            case 4: { // oversize
                byte[] big = new byte[5000 + r.nextInt(5000)];
                r.nextBytes(big);
                batch.add(new ProducerRecord<>(t, key, big));
                return RejectionReason.TOO_LARGE;
            }
            case 5: // valid Avro of the wrong schema: a Pod where a ChangeEvent is expected
                batch.add(new ProducerRecord<>(t, key, pods.encode(pod())));
                return RejectionReason.UNDECODABLE;
            default: { // a payload whose schema nobody registered
                byte[] payload = nodes.encode(node("x", 1));
                payload[3] ^= 0x5a;
                batch.add(new ProducerRecord<>(t, key, change(Op.UPSERT, payload)));
                return RejectionReason.UNKNOWN_SCHEMA;
            }
        }
    }

    static byte[] change(Op op, byte[] payload) {
        return Envelopes.changeEvent()
                .encode(io.statecast.schemas.ChangeEvent.newBuilder()
                        .setOp(op)
                        .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                        .setProducerId("fuzz")
                        .setClientTimestamp(Instant.now())
                        .build());
    }

    static Node node(String name, int cpu) {
        return MaterializerSemanticsIT.node(name, cpu);
    }

    static Pod pod() {
        return Pod.newBuilder()
                .setNamespace("n")
                .setName("p")
                .setUid("u")
                .setPhase(io.statecast.schemas.demo.PodPhase.RUNNING)
                .setCreatedAt(Instant.ofEpochMilli(1))
                .build();
    }
}
