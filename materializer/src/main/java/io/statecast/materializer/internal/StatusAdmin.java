package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.materializer.NamespaceStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** The admin half of a namespace's status: topics, the materializer's group, offsets, the state's size. */
public final class StatusAdmin {
    private static final long TIMEOUT_MS = 15_000;

    private final Admin admin;
    private final Namespace ns;
    private Set<String> names;

    /** A changes partition's end offset, the group's committed offset (-1: none) and its owner ("" none). */
    public record Offsets(int partition, long end, long committed, String owner) {}

    public StatusAdmin(Admin admin, Namespace ns) {
        this.admin = admin;
        this.ns = ns;
    }

    /** The namespace's topics, each with its partition count (0 and {@code exists=false} when missing). */
    public List<NamespaceStatus.Topic> topics() {
        return describe(List.of(ns.changes(), ns.state(), ns.checksums(), ns.rejections(), ns.history(), ns.schemas()));
    }

    /** The slice topics {@code <ns>.slice.*}, by name. */
    public List<NamespaceStatus.Topic> slices() {
        String prefix = ns.name() + ".slice.";
        return describe(
                names().stream().filter(n -> n.startsWith(prefix)).sorted().toList());
    }

    /** The materializer's consumer group; an unknown group is reported with state {@code DEAD} and no instance. */
    public NamespaceStatus.Group group(String groupId) {
        try {
            ConsumerGroupDescription d = get(admin.describeConsumerGroups(List.of(groupId))
                    .describedGroups()
                    .get(groupId));
            List<NamespaceStatus.Instance> instances = d.members().stream()
                    .map(m -> new NamespaceStatus.Instance(
                            m.clientId(), m.host(), partitionsOf(m.assignment().topicPartitions())))
                    .sorted((a, b) -> a.clientId().compareTo(b.clientId()))
                    .toList();
            return new NamespaceStatus.Group(groupId, String.valueOf(d.groupState()), instances);
        } catch (StatecastException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new NamespaceStatus.Group(groupId, "DEAD", List.of());
            }
            throw e;
        }
    }

    private List<Integer> partitionsOf(Collection<TopicPartition> assigned) {
        return assigned.stream()
                .filter(tp -> tp.topic().equals(ns.changes()))
                .map(TopicPartition::partition)
                .sorted()
                .toList();
    }

    /** Per partition of {@code changes}: the end (last stable offset), the group's committed offset, the owner. */
    public List<Offsets> offsets(String groupId, NamespaceStatus.Group group) {
        List<TopicPartition> parts = partitions(ns.changes());
        Map<TopicPartition, OffsetSpec> latest =
                parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        var ends = get(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all());
        Map<TopicPartition, OffsetAndMetadata> committed =
                get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<Integer, String> owners = new TreeMap<>();
        group.instances().forEach(i -> i.partitions().forEach(p -> owners.put(p, i.clientId())));
        List<Offsets> out = new ArrayList<>();
        for (TopicPartition tp : parts) {
            OffsetAndMetadata c = committed.get(tp);
            out.add(new Offsets(
                    tp.partition(),
                    ends.get(tp).offset(),
                    c == null ? -1 : c.offset(),
                    owners.getOrDefault(tp.partition(), "")));
        }
        return out;
    }

    /** The size on disk of the leader replicas of {@code topic}'s partitions; -1 when the brokers do not say. */
    public long leaderBytes(String topic) {
        TopicDescription d =
                get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        List<Integer> brokers =
                get(admin.describeCluster().nodes()).stream().map(Node::id).toList();
        Map<Integer, Map<String, LogDirDescription>> dirs =
                get(admin.describeLogDirs(brokers).allDescriptions());
        long total = 0;
        boolean seen = false;
        for (var p : d.partitions()) {
            if (p.leader() == null || !dirs.containsKey(p.leader().id())) {
                continue;
            }
            for (LogDirDescription dir : dirs.get(p.leader().id()).values()) {
                ReplicaInfo r = dir.replicaInfos().get(new TopicPartition(topic, p.partition()));
                if (r != null) {
                    total += r.size();
                    seen = true;
                }
            }
        }
        return seen ? total : -1;
    }

    private List<TopicPartition> partitions(String topic) {
        TopicDescription d =
                get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        return d.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    private List<NamespaceStatus.Topic> describe(List<String> topics) {
        List<String> existing = topics.stream().filter(names()::contains).toList();
        Map<String, TopicDescription> d = existing.isEmpty()
                ? Map.of()
                : get(admin.describeTopics(existing).allTopicNames());
        return topics.stream()
                .map(t -> d.containsKey(t)
                        ? new NamespaceStatus.Topic(
                                t, true, d.get(t).partitions().size())
                        : new NamespaceStatus.Topic(t, false, 0))
                .toList();
    }

    private Set<String> names() {
        if (names == null) {
            names = get(admin.listTopics().names());
        }
        return names;
    }

    private static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StatecastException(
                    "Cannot read the namespace's status: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StatecastException(
                    "Kafka did not answer within " + TIMEOUT_MS / 1000 + " s reading the status", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        }
    }
}
