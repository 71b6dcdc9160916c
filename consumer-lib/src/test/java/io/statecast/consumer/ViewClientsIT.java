package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.kafka.KafkaClients;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A view's Kafka clients (its consumer, its admin client, the slice and lookback readers, all built from
 * {@link ViewConfig#consumerProperties()}) push no client metrics (KIP-714) unless the user asks: each
 * pushing client keeps a telemetry ledger of its metrics, about 75 KB per client, for every view of a fleet.
 * Against a real broker: a client with telemetry asks the broker for its instance id, one without refuses.
 */
@StatecastKafkaTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ViewClientsIT {
    private static final Duration ASK = Duration.ofSeconds(2);

    @Test
    void theViewsClientsPushNoMetricsByDefault(KafkaFixture kafka) {
        Map<String, Object> props = new ViewConfig(view(kafka, Map.of())).consumerProperties();
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(props, Map.of());
                Admin admin = KafkaClients.admin(props)) {
            assertThrows(IllegalStateException.class, () -> c.clientInstanceId(ASK), "the consumer's telemetry");
            assertThrows(IllegalStateException.class, () -> admin.clientInstanceId(ASK), "the admin's telemetry");
        }
    }

    @Test
    void theUsersSettingWins(KafkaFixture kafka) {
        Map<String, Object> props =
                new ViewConfig(view(kafka, Map.of("enable.metrics.push", "true"))).consumerProperties();
        assertEquals("true", props.get("enable.metrics.push"));
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(props, Map.of())) {
            // Telemetry on: the consumer asks the broker (whose answer, with no metrics plugin, is no id).
            assertDoesNotThrow(() -> c.clientInstanceId(ASK), "the consumer's telemetry is on");
        }
    }

    private static Map<String, Object> view(KafkaFixture kafka, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(kafka.clientConfig());
        p.put(ViewConfig.NAMESPACE, kafka.newNamespace());
        p.putAll(extra);
        return p;
    }
}
