package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SliceDefinition;
import io.statecast.schemas.SliceDefinitions;
import io.statecast.schemas.SliceField;
import io.statecast.schemas.SliceValueReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slices the materializer projects, found in {@code <ns>.slices}: read once at start, then every
 * {@link #REFRESH} on a thread of its own, so that a slice added while the materializer runs is
 * picked up (and back-filled by every task). A definition becomes active only once both of its topics
 * exist with its partition count; until then it is logged and looked at again. Tasks read
 * {@link #active()} (an immutable list) on their own threads.
 */
public final class SliceRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SliceRegistry.class);
    static final Duration REFRESH = Duration.ofSeconds(2);

    private final Map<String, Object> kafka;
    private final Namespace ns;
    private final SchemaResolver resolver;
    private final Set<String> warned = new HashSet<>();
    private volatile List<ActiveSlice> active = List.of();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private volatile boolean closed;

    public SliceRegistry(Map<String, Object> kafka, Namespace ns, SchemaResolver resolver) {
        this.kafka = kafka;
        this.ns = ns;
        this.resolver = resolver;
    }

    /** Reads the definitions now, then keeps refreshing them until closed. */
    public SliceRegistry start() {
        consumer = KafkaClients.consumer(kafka, Map.of("client.id", "statecast-materializer-" + ns + "-slices"));
        refresh();
        thread = new Thread(this::run, "statecast-materializer-" + ns + "-slices");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** The slices to project now. */
    public List<ActiveSlice> active() {
        return active;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(REFRESH.toMillis());
                refresh();
            } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
                return;
            } catch (RuntimeException e) {
                log.warn(
                        "[materializer ns={}] cannot read the slice definitions in {}: {}",
                        ns,
                        ns.slices(),
                        e.toString());
            }
        }
    }

    synchronized void refresh() {
        Map<String, SliceDefinition> defs;
        try {
            defs = SliceDefinitions.read(consumer, ns, Duration.ofSeconds(30));
        } catch (org.apache.kafka.common.errors.AuthorizationException e) {
            // A deployment whose ACLs predate slices keeps working: no slices, said once.
            if (warned.add("unauthorized")) {
                log.warn(
                        "[materializer ns={}] may not read {} ({}): no slices are projected; grant READ and DESCRIBE"
                                + " on it (docs/security.md)",
                        ns,
                        ns.slices(),
                        e.getMessage());
            }
            return;
        }
        Set<String> known = new HashSet<>();
        active.forEach(s -> known.add(s.name()));
        List<SliceDefinition> fresh =
                defs.values().stream().filter(d -> !known.contains(d.getName())).toList();
        if (fresh.isEmpty()) {
            return;
        }
        List<ActiveSlice> next = new ArrayList<>(active);
        for (SliceDefinition d : fresh) {
            if (topicsFit(d)) {
                next.add(ActiveSlice.of(ns, d, new SliceValueReader(SliceField.parse(d.getField()), resolver)));
                log.info(
                        "[materializer ns={}] projecting slice {} (field {}, {} partitions) into {}",
                        ns,
                        d.getName(),
                        d.getField(),
                        d.getPartitions(),
                        ns.slice(d.getName()));
            }
        }
        active = List.copyOf(next);
    }

    private boolean topicsFit(SliceDefinition d) {
        List<String> topics = List.of(ns.slice(d.getName()), ns.sliceChecksums(d.getName()));
        try (Admin admin = KafkaClients.admin(kafka)) {
            Set<String> present = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!present.containsAll(topics)) {
                return problem(d, "its topics " + topics + " do not all exist yet");
            }
            for (TopicDescription t : admin.describeTopics(topics)
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .values()) {
                if (t.partitions().size() != d.getPartitions()) {
                    return problem(
                            d,
                            t.name() + " has " + t.partitions().size() + " partitions, the definition "
                                    + d.getPartitions());
                }
            }
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return problem(d, "cannot describe its topics: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean problem(SliceDefinition d, String why) {
        if (warned.add(d.getName() + why)) {
            log.warn("[materializer ns={}] not projecting slice {} yet: {}", ns, d.getName(), why);
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
