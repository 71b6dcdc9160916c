package io.statecast.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.consumer.StateView;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Container;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A view with zstd compact storage, on the real broker, answers as a view that keeps values as read. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ZstdViewIT {
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private static final int KEYS = 3_000;

    @Test
    void aZstdCompressedViewEqualsThePlainViewInFewerBytesAndListenersHearTheOldValues(KafkaFixture kafka) {
        String topic = kafka.newNamespace() + ".pods";
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));
        Map<String, Pod> table = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            table.put("default/web-" + i, pod(i, "node-" + (i % 50)));
            records.add(record(topic, table.get("default/web-" + i)));
        }
        kafka.produce(topic, records);
        Map<String, Pod> oldValues = new ConcurrentHashMap<>();
        try (StateView<Pod> plain = view(kafka, topic).build();
                StateView<Pod> zstd = view(kafka, topic)
                        .valueCompression(new ZstdValueCompression(1_000, 16 * 1024, 3))
                        .listener("old", c -> {
                            if (c.oldValue() != null) {
                                oldValues.put(c.key(), c.oldValue());
                            }
                        })
                        .build()) {
            plain.start().awaitReady(Duration.ofSeconds(60));
            zstd.start().awaitReady(Duration.ofSeconds(60));
            assertEquals(table, plain.snapshot());
            assertEquals(table, zstd.snapshot());
            long compressed = zstd.stats().storedBytes();
            long asRead = plain.stats().storedBytes();
            assertTrue(compressed * 2 < asRead, compressed + " bytes compressed against " + asRead + " as read");

            List<ProducerRecord<byte[], byte[]>> updates = new ArrayList<>();
            for (int i : List.of(7, 2_500)) { // one of the training values, one compressed from the start
                updates.add(record(topic, pod(i, "node-moved")));
            }
            kafka.produce(topic, updates);
            Conditions.waitFor("both old values heard", Duration.ofSeconds(30), () -> oldValues.size() == 2);
            assertEquals(table.get("default/web-7"), oldValues.get("default/web-7"));
            assertEquals(table.get("default/web-2500"), oldValues.get("default/web-2500"));
            assertEquals("node-moved", zstd.get("default/web-2500").getNode());
        }
    }

    private static StateView.Builder<Pod> view(KafkaFixture kafka, String topic) {
        return StateView.builder(Pod.class).topic(topic).kafka(kafka.clientConfig());
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Pod p) {
        byte[] key = (p.getNamespace() + "/" + p.getName()).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, key, PODS.encode(p));
    }

    // Pods like the demo's: shared labels and images, a unique name, uid and address.
    private static Pod pod(int i, String node) {
        return Pod.newBuilder()
                .setNamespace("default")
                .setName("web-" + i)
                .setUid(String.format("%08x-4c1e-9a2b-%012x", i * 2_654_435_761L, i * 40_503L))
                .setNode(node)
                .setPhase(PodPhase.RUNNING)
                .setLabels(Map.of("app", "web", "tier", "frontend", "release", "stable-" + (i % 3)))
                .setContainers(List.of(Container.newBuilder()
                        .setName("web")
                        .setImage("registry.example.com/team/web:1." + (i % 10))
                        .setCpuMillis(250)
                        .setMemoryBytes(256L << 20)
                        .setPorts(List.of(8080))
                        .build()))
                .setPodIp("10.1." + (i / 250) + "." + (i % 250))
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L))
                .build();
    }
}
