package io.statecast.testkit;

import java.util.Map;

/** A running Kafka cluster that tests and the demo talk to: embedded, a container, or external. */
public interface KafkaCluster extends AutoCloseable {

    /** The {@code bootstrap.servers} value of the cluster's client listener. */
    String bootstrapServers();

    /**
     * The settings every client needs to reach the cluster: {@code bootstrap.servers} and, on a secured
     * cluster, the super user's security settings. Merge it into any client configuration.
     */
    Map<String, Object> clientConfig();

    /** Stops the cluster. Idempotent. */
    @Override
    void close();
}
