package io.statecast.devtools.demo;

import io.statecast.common.Namespace;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Pod;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** The demo's final check: the authoritative table read from the state topic, and each agent held to it. */
final class TableCheck {
    private TableCheck() {}

    /** Whether the agent's view comes to equal {@code expected} within 10 s. */
    static boolean waitEqual(Agent a, Map<String, Pod> expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (a.view.snapshot().equals(expected)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(100);
        }
    }

    /** The table as the materializer wrote it to {@code ns}'s state topic, grouped by the pods' node. */
    static Map<String, Map<String, Pod>> byNode(Map<String, Object> kafka, Namespace podsNs) {
        AvroCodec<Pod> codec = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka, Map.of())) {
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(c, podsNs.state(), Duration.ofSeconds(60))) {
                String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (r.value() == null) {
                    latest.remove(key);
                } else {
                    latest.put(key, r.value());
                }
            }
        }
        Map<String, Map<String, Pod>> byNode = new HashMap<>();
        latest.forEach((k, v) -> {
            java.nio.ByteBuffer payload = Envelopes.stateRecord().decode(v).getPayload();
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            Pod p = codec.decode(bytes);
            if (p.getNode() != null) {
                byNode.computeIfAbsent(p.getNode(), n -> new HashMap<>()).put(k, p);
            }
        });
        return byNode;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
