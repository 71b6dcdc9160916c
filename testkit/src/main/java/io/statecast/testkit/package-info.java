/**
 * A real Kafka for tests and the demo, never a mock: EmbeddedKafkaCluster (KRaft in this JVM),
 * Testcontainers' Kafka or an external cluster (Kafka.start chooses), the JUnit 5 fixture
 * (StatecastKafkaTest, KafkaFixture: namespaces, topics, produce, read to the end, forced compaction)
 * and Conditions, the waiting helper of every test.
 */
package io.statecast.testkit;
