package io.statecast.testkit;

import java.util.HashMap;
import java.util.Map;

/** A cluster someone else runs, reached through {@code STATECAST_BOOTSTRAP_SERVERS}. Closing it does nothing. */
public final class ExternalKafkaCluster implements KafkaCluster {
    private final String bootstrapServers;
    private final Map<String, Object> extra;

    public ExternalKafkaCluster(String bootstrapServers, Map<String, Object> extra) {
        this.bootstrapServers = bootstrapServers;
        this.extra = Map.copyOf(extra);
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Map<String, Object> clientConfig() {
        Map<String, Object> c = new HashMap<>(extra);
        c.put("bootstrap.servers", bootstrapServers);
        return c;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
