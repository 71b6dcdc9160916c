package io.statecast.producer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.TopicMismatchException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.MissingTopicException;
import io.statecast.common.kafka.TopicReadiness;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.internal.TopicSpecs.Spec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaTopic;
import io.statecast.schemas.SliceDefinition;
import io.statecast.schemas.SliceDefinitions;
import io.statecast.schemas.SliceField;
import io.statecast.schemas.ValueSchemas;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Defines slices: checks the field against the namespace's value schema, creates the slice topics with
 * the state topic's compaction rules, then writes the definition to {@code <ns>.slices} (last, so that
 * a materializer never sees a definition whose topics are missing).
 */
public final class SliceProvisioning {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Admin admin;
    private final Map<String, ?> kafka;
    private final Clock clock;

    public SliceProvisioning(Admin admin, Map<String, ?> kafka, Clock clock) {
        this.admin = admin;
        this.kafka = kafka;
        this.clock = clock;
    }

    /**
     * The value schema slice fields are checked against: {@code given}, else the newest schema
     * registered in {@code <ns>.schemas}; null when neither exists. With {@code register}, a given
     * schema is registered there first, as a producer would.
     */
    public static Schema valueSchema(Map<String, ?> kafka, Namespace ns, Schema given, boolean register) {
        try (SchemaTopic topic = SchemaTopic.open(new HashMap<>(kafka), ns)) {
            if (given != null) {
                if (register) {
                    topic.register(given);
                }
                return given;
            }
            List<Schema> registered = ValueSchemas.of(topic).all();
            return registered.isEmpty() ? null : registered.get(registered.size() - 1);
        } catch (MissingTopicException e) {
            return given;
        }
    }

    /** Refuses a field the schema does not have (a {@code SliceFieldException} naming the step). */
    public static void checkField(Namespace ns, SliceSpec spec, Schema schema) {
        if (schema == null) {
            throw new io.statecast.common.ConfigurationException(
                    "Cannot check the field '" + spec.field() + "' of slice " + spec.name()
                            + ": namespace " + ns + " has no value schema registered in " + ns.schemas()
                            + "; give --value-schema FILE.avsc or --value-type pod|node");
        }
        SliceField.parse(spec.field()).check(schema);
    }

    /** Defines the slice (idempotent for an identical definition); returns the topics created. */
    public List<String> add(Namespace ns, SliceSpec spec, Schema given) {
        TopicDescription state = describe(List.of(ns.state())).get(ns.state());
        if (state == null) {
            throw new MissingTopicException(ns.state());
        }
        checkField(ns, spec, valueSchema(kafka, ns, given, true));
        SliceDefinition existing = SliceDefinitions.read(kafka, ns, TIMEOUT).get(spec.name());
        if (existing != null && !same(existing, spec)) {
            throw new TopicMismatchException(
                    ns.slice(spec.name()),
                    "is defined with field " + existing.getField() + " and " + existing.getPartitions()
                            + " partitions, not " + spec.field() + ":" + spec.partitions()
                            + "; slice definitions cannot change: choose another name");
        }
        short rf = (short) state.partitions().get(0).replicas().size();
        List<Spec> specs = new ArrayList<>();
        specs.add(TopicSpecs.slicesTopic(ns, rf));
        specs.addAll(TopicSpecs.slice(ns, spec.name(), spec.partitions(), stateConfigs(ns), rf));
        List<String> created = createMissing(specs, rf);
        if (existing == null) {
            writeDefinition(ns, spec);
        }
        return created;
    }

    /** What {@code topics describe} shows of a slice. */
    public record Described(SliceDefinition definition, boolean topicsExist, String backfill) {}

    /** Every slice of the namespace with the state of its topics and of its back-fill. */
    public List<Described> describe(Namespace ns) {
        Map<String, SliceDefinition> defs = SliceDefinitions.read(kafka, ns, TIMEOUT);
        TopicDescription state = describe(List.of(ns.state())).get(ns.state());
        List<Described> out = new ArrayList<>();
        for (SliceDefinition d : defs.values()) {
            Map<String, TopicDescription> topics =
                    describe(List.of(ns.slice(d.getName()), ns.sliceChecksums(d.getName())));
            boolean ok = topics.size() == 2
                    && topics.values().stream().allMatch(t -> t.partitions().size() == d.getPartitions());
            int sources = state == null ? 0 : state.partitions().size();
            out.add(new Described(d, ok, ok ? Backfill.status(kafka, ns, d.getName(), sources) : "topics missing"));
        }
        return out;
    }

    private static boolean same(SliceDefinition d, SliceSpec s) {
        return d.getField().equals(s.field()) && d.getPartitions() == s.partitions();
    }

    private Map<String, String> stateConfigs(Namespace ns) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, ns.state());
        Config c = AdminCalls.get(admin.describeConfigs(List.of(r)).all()).get(r);
        Map<String, String> out = new HashMap<>();
        for (String key : TopicSpecs.SLICE_COPIES_FROM_STATE) {
            if (c.get(key) != null && c.get(key).value() != null) {
                out.put(key, c.get(key).value());
            }
        }
        return out;
    }

    private List<String> createMissing(List<Spec> specs, short rf) {
        Map<String, TopicDescription> existing =
                describe(specs.stream().map(Spec::name).toList());
        List<NewTopic> missing = new ArrayList<>();
        for (Spec s : specs) {
            TopicDescription d = existing.get(s.name());
            if (d == null) {
                missing.add(new NewTopic(s.name(), s.partitions(), rf).configs(s.configs()));
            } else if (d.partitions().size() != s.partitions()) {
                throw new TopicMismatchException(
                        s.name(),
                        "has " + d.partitions().size() + " partitions, expected " + s.partitions()
                                + " — nothing was changed; delete the topic or choose another slice name");
            }
        }
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new StatecastException(
                            "Cannot create topics: " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StatecastException("Interrupted creating topics", e);
            }
        }
        TopicReadiness.awaitPartitionsAnswer(
                admin, specs.stream().map(Spec::name).toList(), TIMEOUT);
        return missing.stream().map(NewTopic::name).toList();
    }

    private Map<String, TopicDescription> describe(List<String> names) {
        Set<String> present = AdminCalls.get(admin.listTopics().names());
        List<String> there = names.stream().filter(present::contains).toList();
        return there.isEmpty()
                ? Map.of()
                : AdminCalls.get(admin.describeTopics(there).allTopicNames());
    }

    private void writeDefinition(Namespace ns, SliceSpec spec) {
        byte[] value = Envelopes.sliceDefinition()
                .encode(SliceDefinition.newBuilder()
                        .setName(spec.name())
                        .setField(spec.field())
                        .setPartitions(spec.partitions())
                        .setCreatedAt(clock.instant())
                        .build());
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(kafka, Map.of())) {
            p.send(new ProducerRecord<>(ns.slices(), 0, SliceDefinitions.key(spec.name()), value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted writing the definition of slice " + spec.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StatecastException(
                    "Cannot write the definition of slice " + spec.name() + " to " + ns.slices() + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
