package io.statecast.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in a container ({@code apache/kafka} at the project's Kafka version) through Testcontainers.
 * Chosen when a Docker engine is available; not exercised on machines without one.
 */
public final class TestcontainersKafkaCluster implements KafkaCluster {
    /** The image, at the same version as the Kafka jars of the build. */
    public static final String IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestcontainersKafkaCluster(KafkaContainer container) {
        this.container = container;
    }

    /** Starts a single-node KRaft container. */
    public static TestcontainersKafkaCluster start() {
        KafkaContainer c = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_LOG_CLEANER_BACKOFF_MS", "200");
        c.start();
        return new TestcontainersKafkaCluster(c);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public Map<String, Object> clientConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrapServers());
        return c;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            container.stop();
        }
    }
}
