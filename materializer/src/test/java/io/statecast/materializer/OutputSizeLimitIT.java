package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A change within the size limit whose output records (state, history, slice, rejection: envelope,
 * headers and the raw value again) would not fit their topic: rejected {@code TOO_LARGE} with a
 * rejection that fits, and the partition keeps going. Before, the stream task failed with
 * {@code RecordTooLargeException} and the replaced thread retried the same offset forever.
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OutputSizeLimitIT {
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());

    @Test
    void aChangeNearTheLimitIsRejectedTooLargeWithARejectionThatFitsAndTheNextWriteIsMaterialized(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of());
                StatecastProducer<Pod> p = producer(kafka, ns)) {
            p.upsert("a", SliceFixture.pod("a", "node-1", 0)).join(); // v1, and registers the schema
            // Each change fits in changes (its record is at most 1,048,576 B, the producer's max.request.size)
            // and under max.payload.bytes (1 MiB); its state record, about 150 B larger, does not.
            Map<String, byte[]> big = new HashMap<>();
            for (int size : new int[] {1_048_440, 1_048_460, 1_048_475}) {
                big.put("big-" + size, change(size, null));
            }
            byte[] conflict = change(1_048_470, 7L); // a refused compare-and-set: its rejection holds the raw bytes
            big.put("a", conflict);
            produce(kafka, ns, big);
            p.upsert("after", SliceFixture.pod("after", "node-1", 0)).join();

            awaitInState(kafka, ns, "after", Duration.ofSeconds(90));
            Map<String, Rejection> rejections = rejectionsByKey(kafka, ns);
            for (String key : List.of("big-1048440", "big-1048460", "big-1048475")) {
                Rejection r = rejections.get(key);
                assertEquals(RejectionReason.TOO_LARGE, r.getReason(), key + ": " + r.getMessage());
                assertTrue(r.getMessage().contains(ns.state()), r.getMessage());
                assertPrefix(big.get(key), r);
            }
            Rejection cas = rejections.get("a");
            assertEquals(RejectionReason.VERSION_CONFLICT, cas.getReason(), cas.getMessage());
            assertPrefix(conflict, cas);
            assertTrue(cas.getRawValue().remaining() < conflict.length, "the rejection's raw value was truncated");
            assertEquals(List.of("a", "after"), stateKeys(kafka, ns), "only the writes that fit reached state");
            assertEquals(3L, m.counts().rejected(RejectionReason.TOO_LARGE));
        }
    }

    @Test
    void aChangeWhoseHistoryOrSliceRecordWouldNotFitItsTopicIsRejectedTooLarge(KafkaFixture kafka) {
        Namespace ns = SliceFixture.provision(kafka, 1, new SliceSpec("by-node", "node", 2));
        setMaxMessageBytes(kafka, ns.history(), 400_000);
        setMaxMessageBytes(kafka, ns.slice("by-node"), 250_000);
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of());
                StatecastProducer<Pod> p = producer(kafka, ns)) {
            p.upsert("a", SliceFixture.pod("a", "node-1", 0)).join();
            produce(kafka, ns, Map.of("over-history", change(450_000, null), "over-slice", change(300_000, null)));
            p.upsert("after", SliceFixture.pod("after", "node-1", 0)).join();

            awaitInState(kafka, ns, "after", Duration.ofSeconds(90));
            Map<String, Rejection> rejections = rejectionsByKey(kafka, ns);
            assertEquals(
                    RejectionReason.TOO_LARGE, rejections.get("over-history").getReason());
            assertTrue(rejections.get("over-history").getMessage().contains(ns.history()));
            assertEquals(RejectionReason.TOO_LARGE, rejections.get("over-slice").getReason());
            assertTrue(rejections.get("over-slice").getMessage().contains(ns.slice("by-node")));
            assertEquals(List.of("a", "after"), stateKeys(kafka, ns), "a refused change writes no state record");
        }
    }

    @Test
    void aTopicLimitLoweredWhileRunningRejectsTheChangeInsteadOfRetryingItForever(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of());
                StatecastProducer<Pod> p = producer(kafka, ns)) {
            p.upsert("a", SliceFixture.pod("a", "node-1", 0)).join();
            awaitInState(kafka, ns, "a", Duration.ofSeconds(60));
            setMaxMessageBytes(kafka, ns.state(), 100_000); // the materializer read 1 MiB at start
            produce(kafka, ns, Map.of("over-state", change(200_000, null)));
            p.upsert("after", SliceFixture.pod("after", "node-1", 0)).join();

            awaitInState(kafka, ns, "after", Duration.ofSeconds(120));
            Rejection r = rejectionsByKey(kafka, ns).get("over-state");
            assertEquals(RejectionReason.TOO_LARGE, r.getReason(), r.getMessage());
            assertEquals(List.of("a", "after"), stateKeys(kafka, ns));
        }
    }

    private static StatecastProducer<Pod> producer(KafkaFixture kafka, Namespace ns) {
        return StatecastProducer.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .producerId("it")
                .build();
    }

    /** A ChangeEvent value of exactly {@code size} bytes (UPSERT of a pod whose uid pads it). */
    static byte[] change(int size, Long expectedVersion) {
        int overhead = encode(0, expectedVersion).length;
        int pad = size - overhead;
        byte[] value = encode(pad, expectedVersion);
        for (int i = 0; value.length != size && i < 8; i++) { // the uid's length prefix grows with it
            pad += size - value.length;
            value = encode(pad, expectedVersion);
        }
        assertEquals(size, value.length, "change size");
        return value;
    }

    private static byte[] encode(int pad, Long expectedVersion) {
        char[] uid = new char[pad];
        Arrays.fill(uid, 'u');
        Pod pod = SliceFixture.pod("big", "node-1", 0);
        pod.setUid(new String(uid));
        return Envelopes.changeEvent()
                .encode(ChangeEvent.newBuilder()
                        .setOp(Op.UPSERT)
                        .setPayload(ByteBuffer.wrap(PODS.encode(pod)))
                        .setExpectedVersion(expectedVersion)
                        .setProducerId("it")
                        .setClientTimestamp(Instant.ofEpochMilli(1))
                        .build());
    }

    private static void produce(KafkaFixture kafka, Namespace ns, Map<String, byte[]> changes) {
        kafka.produce(
                ns.changes(),
                changes.entrySet().stream()
                        .map(e -> new ProducerRecord<>(
                                ns.changes(), 0, e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue()))
                        .toList());
    }

    static void setMaxMessageBytes(KafkaFixture kafka, String topic, int bytes) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        KafkaFixture.get(kafka.admin()
                .incrementalAlterConfigs(Map.of(
                        r,
                        List.of(new AlterConfigOp(
                                new ConfigEntry("max.message.bytes", Integer.toString(bytes)),
                                AlterConfigOp.OpType.SET))))
                .all());
        Conditions.waitForEquals(
                "max.message.bytes of " + topic,
                Duration.ofSeconds(30),
                Integer.toString(bytes),
                () -> KafkaFixture.get(kafka.admin().describeConfigs(List.of(r)).all())
                        .get(r)
                        .get("max.message.bytes")
                        .value());
    }

    private static void awaitInState(KafkaFixture kafka, Namespace ns, String key, Duration timeout) {
        Conditions.waitFor(
                "'" + key + "' is in " + ns.state(), timeout, () -> stateKeys(kafka, ns), keys -> keys.contains(key));
    }

    private static List<String> stateKeys(KafkaFixture kafka, Namespace ns) {
        return kafka.readToEnd(ns.state()).stream()
                .map(MaterializerFixture::key)
                .toList();
    }

    private static Map<String, Rejection> rejectionsByKey(KafkaFixture kafka, Namespace ns) {
        Map<String, Rejection> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.rejections())) {
            out.put(MaterializerFixture.key(r), Envelopes.rejection().decode(r.value()));
        }
        return out;
    }

    private static void assertPrefix(byte[] input, Rejection r) {
        byte[] raw = new byte[r.getRawValue().remaining()];
        r.getRawValue().duplicate().get(raw);
        assertTrue(raw.length > 0 && raw.length <= input.length, "raw value length " + raw.length);
        assertArrayEquals(Arrays.copyOf(input, raw.length), raw, "the rejection keeps the input's first bytes");
    }
}
