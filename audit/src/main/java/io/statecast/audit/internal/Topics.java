package io.statecast.audit.internal;

import io.statecast.common.StatecastException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/** The read-only admin questions an audit asks: which topics exist, their partitions, log starts, configs. */
public final class Topics {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Admin admin;

    /** Questions asked through {@code admin} (not closed here). */
    public Topics(Admin admin) {
        this.admin = admin;
    }

    /** The names of every topic on the cluster. */
    public Set<String> names() {
        return get(admin.listTopics().names());
    }

    /** The number of partitions of {@code topic}. */
    public int partitionCount(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames())
                .get(topic)
                .partitions()
                .size();
    }

    /** Per partition, the first offset the topic still holds (above 0 once retention deleted segments). */
    public Map<Integer, Long> logStartOffsets(String topic) {
        Map<TopicPartition, OffsetSpec> request =
                new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        for (int p = 0; p < partitionCount(topic); p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.earliest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> res =
                get(admin.listOffsets(request).all());
        Map<Integer, Long> out = new TreeMap<>();
        res.forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return out;
    }

    /** A topic config value (the effective one, default included). */
    public String config(String topic, String name) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return get(admin.describeConfigs(List.of(r)).all()).get(r).get(name).value();
    }

    private static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted while asking the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StatecastException(
                    "Kafka admin request failed: " + cause + ". Check --bootstrap-servers and the"
                            + " client's permissions (Describe on the namespace's topics).",
                    cause);
        }
    }
}
