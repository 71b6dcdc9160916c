package io.statecast.producer;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.TopicMismatchException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReadiness;
import io.statecast.producer.internal.AdminCalls;
import io.statecast.producer.internal.SliceProvisioning;
import io.statecast.producer.internal.TopicSpecs;
import io.statecast.producer.internal.TopicSpecs.Spec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of a namespace with the configs of DESIGN.md and waits until they answer.
 * Idempotent: correct existing topics are fine; an existing topic with another partition count or
 * cleanup policy is a {@link TopicMismatchException} naming the difference, and nothing is changed
 * (every topic is checked before any is created).
 */
public final class TopicProvisioner implements AutoCloseable {
    private final Admin admin;
    private final Map<String, ?> kafkaConfig;

    public TopicProvisioner(Map<String, ?> kafkaConfig) {
        this.admin = KafkaClients.admin(kafkaConfig);
        this.kafkaConfig = Map.copyOf(kafkaConfig);
    }

    /** What a topic looks like on the cluster. */
    public record TopicInfo(
            String name, boolean exists, int partitions, int replicationFactor, Map<String, String> configs) {}

    /** Creates what is missing; returns the names of the topics created. */
    public List<String> create(Namespace ns, TopicOptions options) {
        List<Spec> specs = TopicSpecs.of(ns, options);
        Map<String, TopicDescription> existing =
                describeExisting(specs.stream().map(Spec::name).collect(Collectors.toList()));
        List<String> problems = new ArrayList<>();
        for (Spec s : specs) {
            if (existing.containsKey(s.name())) {
                problems.addAll(differences(s, existing.get(s.name())));
            }
        }
        if (!problems.isEmpty()) {
            throw new TopicMismatchException(
                    problems.get(0).split(" ", 2)[0],
                    String.join("; ", problems)
                            + " — nothing was changed; delete the topic or choose another namespace");
        }
        List<NewTopic> missing = specs.stream()
                .filter(s -> !existing.containsKey(s.name()))
                .map(s -> new NewTopic(s.name(), s.partitions(), options.replicationFactor()).configs(s.configs()))
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            createTopics(missing);
        }
        TopicReadiness.awaitPartitionsAnswer(
                admin, specs.stream().map(Spec::name).collect(Collectors.toList()), Duration.ofSeconds(60));
        return missing.stream().map(NewTopic::name).collect(Collectors.toList());
    }

    /** Every topic of the namespace: whether it exists, partitions, replication factor and the configs Statecast sets. */
    public List<TopicInfo> describe(Namespace ns) {
        Map<String, TopicDescription> existing = describeExisting(ns.topics());
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(existing.keySet().stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                        .collect(Collectors.toList()))
                .all());
        List<TopicInfo> out = new ArrayList<>();
        for (String t : ns.topics()) {
            TopicDescription d = existing.get(t);
            if (d == null) {
                out.add(new TopicInfo(t, false, 0, 0, Map.of()));
                continue;
            }
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t));
            Map<String, String> shown = new java.util.LinkedHashMap<>();
            for (String key : TopicSpecs.SHOWN_CONFIGS) {
                if (c.get(key) != null) {
                    shown.put(key, c.get(key).value());
                }
            }
            out.add(new TopicInfo(
                    t,
                    true,
                    d.partitions().size(),
                    d.partitions().get(0).replicas().size(),
                    shown));
        }
        return out;
    }

    /**
     * Defines slice {@code spec} of a namespace that exists (it may already hold data: the materializer
     * back-fills the slice from the table): checks the field against {@code valueSchema} (registered in
     * {@code <ns>.schemas} first) or, when null, the newest schema registered there, creates
     * {@code <ns>.slice.<name>} and its checksums topic, then writes the definition to {@code <ns>.slices}.
     * Idempotent for an identical definition; returns the topics created.
     *
     * @throws io.statecast.common.SliceFieldException when the field does not fit the schema
     * @throws TopicMismatchException when the name is defined otherwise, or a slice topic has another partition count
     */
    public List<String> addSlice(Namespace ns, SliceSpec spec, org.apache.avro.Schema valueSchema) {
        return new SliceProvisioning(admin, kafkaConfig, java.time.Clock.systemUTC()).add(ns, spec, valueSchema);
    }

    /**
     * Checks every slice field against {@code valueSchema} or, when null, the newest schema registered in
     * {@code <ns>.schemas}, without changing anything (a CLI checks them all before creating topics).
     *
     * @throws io.statecast.common.SliceFieldException naming the first field that does not fit
     */
    public void checkSlices(Namespace ns, List<SliceSpec> specs, org.apache.avro.Schema valueSchema) {
        if (specs.isEmpty()) {
            return;
        }
        org.apache.avro.Schema schema = SliceProvisioning.valueSchema(kafkaConfig, ns, valueSchema, false);
        specs.forEach(s -> SliceProvisioning.checkField(ns, s, schema));
    }

    /** A slice as {@code topics describe} shows it. */
    public record SliceInfo(String name, String field, int partitions, boolean topicsExist, String backfill) {}

    /** Every slice defined in {@code <ns>.slices}, with the state of its topics and back-fill. */
    public List<SliceInfo> slices(Namespace ns) {
        return new SliceProvisioning(admin, kafkaConfig, java.time.Clock.systemUTC())
                .describe(ns).stream()
                        .map(d -> new SliceInfo(
                                d.definition().getName(),
                                d.definition().getField(),
                                d.definition().getPartitions(),
                                d.topicsExist(),
                                d.backfill()))
                        .collect(Collectors.toList());
    }

    private List<String> differences(Spec s, TopicDescription d) {
        List<String> out = new ArrayList<>();
        if (d.partitions().size() != s.partitions()) {
            out.add(s.name() + " has " + d.partitions().size() + " partitions, expected " + s.partitions());
        }
        String policy = get(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, s.name())))
                        .all())
                .values()
                .iterator()
                .next()
                .get("cleanup.policy")
                .value();
        if (!Set.of(policy.split(","))
                .equals(Set.of(s.configs().get("cleanup.policy").split(",")))) {
            out.add(s.name() + " has cleanup.policy=" + policy + ", expected "
                    + s.configs().get("cleanup.policy")
                    + (s.name().endsWith(".changes") && policy.contains("compact")
                            ? " (a compacted changes topic can drop a change before the materializer processed it;"
                                    + " once the materializer has caught up, set cleanup.policy=delete, retention.ms="
                                    + s.configs().get("retention.ms") + " and message.timestamp.type=LogAppendTime"
                                    + " on it: docs/reliability.md)"
                            : ""));
        }
        return out;
    }

    private Map<String, TopicDescription> describeExisting(Collection<String> names) {
        Set<String> present = get(admin.listTopics().names());
        List<String> there = names.stream().filter(present::contains).collect(Collectors.toList());
        return there.isEmpty() ? Map.of() : get(admin.describeTopics(there).allTopicNames());
    }

    private void createTopics(List<NewTopic> topics) {
        try {
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // a concurrent creator won the race: fine
                throw new StatecastException(
                        "Cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted creating topics", e);
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        return AdminCalls.get(f);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
