package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.MissingTopicException;
import io.statecast.materializer.CoPartitioningException;
import io.statecast.materializer.PartitionCountChangedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** What the materializer checks about a namespace's topics before it starts (docs/materializer.md). */
public final class StartupChecks {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StartupChecks.class);
    /** What the checks found: the partition count of changes, state and checksums, and whether to write history. */
    public record Topics(int partitions, boolean history) {}

    private StartupChecks() {}

    /**
     * The topics exist and are co-partitioned; history is written when {@code history} is "true" (then the
     * topic must exist) or "auto" and the topic exists.
     *
     * @throws MissingTopicException when a topic is missing
     * @throws CoPartitioningException when state or checksums has another partition count than changes
     */
    public static Topics topics(Admin admin, Namespace ns, String history) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            for (String t : List.of(ns.changes(), ns.state(), ns.checksums(), ns.rejections())) {
                if (!existing.contains(t)) {
                    throw new MissingTopicException(t);
                }
            }
            Map<String, TopicDescription> d = admin.describeTopics(List.of(ns.changes(), ns.state(), ns.checksums()))
                    .allTopicNames()
                    .get();
            int changes = d.get(ns.changes()).partitions().size();
            for (String t : List.of(ns.state(), ns.checksums())) {
                if (d.get(t).partitions().size() != changes) {
                    throw new CoPartitioningException(
                            ns.changes(), changes, t, d.get(t).partitions().size());
                }
            }
            boolean hasHistory = existing.contains(ns.history());
            if ("true".equals(history) && !hasHistory) {
                throw new MissingTopicException(ns.history());
            }
            return new Topics(changes, !"false".equals(history) && hasHistory);
        } catch (ExecutionException e) {
            throw new StatecastException(
                    "Cannot check the topics of " + ns + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        }
    }

    /** The partition count of {@code topic} now, asked of the broker (not a client's cached metadata). */
    public static int partitionCount(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
        } catch (ExecutionException e) {
            throw new StatecastException(
                    "Cannot describe " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StatecastException("Cannot describe " + topic + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        }
    }

    /**
     * The partition count the last mark of each checksums partition carries ({@code sc.partitions}) is the
     * count the topics have now: partitions added to a namespace would move keys. Marks written before the
     * header existed are not compared.
     *
     * @throws PartitionCountChangedException when a mark carries another count
     */
    public static void partitionsUnchanged(Map<String, Object> kafka, Namespace ns, int partitions) {
        Map<Integer, LastMarks.Mark> marks;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, Map.of())) {
            marks = LastMarks.lastMarks(
                    consumer,
                    ns.checksums(),
                    IntStream.range(0, partitions).boxed().toList(),
                    Duration.ofMinutes(2));
        }
        for (LastMarks.Mark m : marks.values()) {
            long was = StatecastHeaders.readLong(m.headers(), StatecastHeaders.PARTITIONS, -1);
            if (was >= 0 && was != partitions) {
                throw new PartitionCountChangedException(ns.changes(), (int) was, partitions);
            }
        }
    }

    /**
     * How long {@code <ns>.changes} keeps a change ({@link ChangesWindow}), checked against {@code minWindowMs}.
     *
     * @throws io.statecast.common.ConfigurationException when it may drop a change sooner
     */
    public static long changesWindow(Admin admin, Namespace ns, long minWindowMs) {
        return ChangesWindow.check(
                ns.changes(),
                new AdminTopicConfigs(admin).describe(List.of(ns.changes())).get(ns.changes()),
                minWindowMs);
    }

    /**
     * Sets the starting offsets the group lacks and refuses to go on when changes were deleted before they
     * were processed ({@link ChangesPositions}).
     *
     * @throws io.statecast.materializer.ChangesLostException naming the partition and the offsets lost
     */
    public static void changesPositions(
            Map<String, Object> kafka, Admin admin, Namespace ns, String applicationId, int partitions) {
        ChangesPositions.check(kafka, admin, ns, applicationId, partitions);
    }

    /**
     * The state topic's {@code delete.retention.ms}: a tombstone stays in {@code state} at least that long, and
     * how long the table keeps a deleted row follows from it ({@link DeletedRows}). A state topic whose records
     * carry the writer's timestamps ({@code CreateTime}, namespaces created before {@code LogAppendTime}) gets a
     * WARN: it works as before, but views then judge the compaction lag by the materializer's clock instead of
     * the broker's, which the log cleaner uses.
     */
    public static Duration stateDeleteRetention(Admin admin, Namespace ns) {
        org.apache.kafka.clients.admin.Config c =
                new AdminTopicConfigs(admin).describe(List.of(ns.state())).get(ns.state());
        String type = c.get("message.timestamp.type").value();
        if (!"LogAppendTime".equals(type)) {
            log.warn(
                    "[materializer ns={}] {} has message.timestamp.type={}: set it to LogAppendTime (docs/materializer.md,"
                            + " Record timestamps), so that its records carry the broker's time, the clock its log"
                            + " cleaner measures min.compaction.lag.ms with",
                    ns,
                    ns.state(),
                    type);
        }
        return Duration.ofMillis(Long.parseLong(c.get("delete.retention.ms").value()));
    }
}
