package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaSelectionTest {

    @Test
    void theSystemPropertyForcesAKindOfCluster() {
        String before = System.getProperty("statecast.kafka");
        try {
            System.setProperty("statecast.kafka", "embedded");
            assertEquals(Kafka.Kind.EMBEDDED, Kafka.choose());
            System.setProperty("statecast.kafka", " Testcontainers ");
            assertEquals(Kafka.Kind.TESTCONTAINERS, Kafka.choose());
        } finally {
            if (before == null) {
                System.clearProperty("statecast.kafka");
            } else {
                System.setProperty("statecast.kafka", before);
            }
        }
    }

    @Test
    void namespacesAreUniqueAndValidTopicNamePrefixes() {
        // No broker needed: the admin client connects lazily.
        try (KafkaFixture kafka = KafkaFixture.of(new ExternalKafkaCluster("127.0.0.1:1", Map.of()))) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                String ns = kafka.newNamespace();
                assertTrue(ns.matches("[a-zA-Z0-9._-]{1,100}"), ns);
                assertTrue(seen.add(ns), "repeated " + ns);
            }
        }
    }

    @Test
    void anExternalClusterMergesItsSettingsUnderBootstrapServers() {
        ExternalKafkaCluster external = new ExternalKafkaCluster("h:1", Map.of("security.protocol", "SSL"));
        assertEquals(Map.of("bootstrap.servers", "h:1", "security.protocol", "SSL"), external.clientConfig());
        external.close();
        external.close(); // idempotent
    }
}
