package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;

/** What a view asks the admin client about its state topic: its id (recreation) and its configs. */
final class TopicFacts {
    private final Admin admin;
    private final String topic;

    TopicFacts(Admin admin, String topic) {
        this.admin = admin;
        this.topic = topic;
    }

    String topic() {
        return topic;
    }

    /** The topic's id. @throws StatecastException when it cannot be described (deleted, unreachable) */
    Uuid topicId() {
        try {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .get(topic)
                    .topicId();
        } catch (Exception e) {
            throw new StatecastException("Cannot describe " + topic + ": " + e.getMessage(), e);
        }
    }

    /** A numeric topic config, or {@code missing} when unset. @throws StatecastException when unreadable */
    long configLong(String name, long missing) {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            ConfigEntry entry = admin.describeConfigs(List.of(res))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(res)
                    .get(name);
            return entry == null || entry.value() == null ? missing : Long.parseLong(entry.value());
        } catch (Exception e) {
            throw new StatecastException("Cannot read " + name + " of " + topic + ": " + e.getMessage(), e);
        }
    }
}
