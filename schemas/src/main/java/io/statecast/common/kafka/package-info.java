/**
 * Kafka plumbing every module shares, in one place: KafkaClients builds clients from a configuration,
 * TopicReader reads a topic to its end, TopicReadiness waits until new topics answer (KAFKA-15591).
 */
package io.statecast.common.kafka;
