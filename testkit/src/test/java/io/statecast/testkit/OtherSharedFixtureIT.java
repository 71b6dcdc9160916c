package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A second test class: it must get the same cluster as {@link SharedFixtureIT}, not a new one. */
@StatecastKafkaTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtherSharedFixtureIT {
    static volatile String seenBootstrap;

    KafkaFixture injected; // field injection

    @Test
    void reusesTheClusterStartedForTheJvm(KafkaFixture kafka) {
        seenBootstrap = kafka.bootstrapServers();
        String topic = kafka.newNamespace() + ".other";
        kafka.createTopic(topic, 1, Map.of());
        assertEquals(1, KafkaFixture.starts(), "clusters started in this JVM");
    }

    @Test
    void injectsTheSameFixtureIntoFields(KafkaFixture kafka) {
        assertSame(kafka, injected);
    }
}
