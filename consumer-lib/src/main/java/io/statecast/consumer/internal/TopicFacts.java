package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What a view asks the admin client about its state topic: its id (recreation), its configs, and the
 * partition counts of the namespace's topics (growth).
 */
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

    /**
     * The partition counts of these topics, in one request; a topic that does not exist or that the view
     * may not describe (a view's principal needs no ACL on {@code <ns>.changes}) is left out.
     *
     * @throws StatecastException when the brokers do not answer in 5 s
     */
    Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, KafkaFuture<TopicDescription>> asked =
                admin.describeTopics(topics).topicNameValues();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, Integer> out = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : asked.entrySet()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                out.put(
                        e.getKey(),
                        e.getValue()
                                .get(left, TimeUnit.NANOSECONDS)
                                .partitions()
                                .size());
            } catch (ExecutionException x) {
                if (!(x.getCause() instanceof UnknownTopicOrPartitionException
                        || x.getCause() instanceof TopicAuthorizationException)) {
                    throw new StatecastException("Cannot describe " + e.getKey() + ": " + x.getMessage(), x);
                }
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new StatecastException("Interrupted describing " + topics, x);
            } catch (java.util.concurrent.TimeoutException x) {
                throw new StatecastException("Cannot describe " + e.getKey() + " within 5 s", x);
            }
        }
        return out;
    }

    /**
     * The high watermarks (read-uncommitted ends) of these partitions of the topic, asked now; null when
     * the brokers do not answer within {@code timeout}.
     */
    Map<Integer, Long> highWatermarks(Collection<Integer> partitions, Duration timeout) {
        Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
        partitions.forEach(p -> asked.put(new TopicPartition(topic, p), OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> got = admin.listOffsets(
                            asked, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, Long> out = new HashMap<>();
            got.forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
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
