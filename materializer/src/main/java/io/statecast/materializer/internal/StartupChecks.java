package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.MissingTopicException;
import io.statecast.materializer.CoPartitioningException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/** What the materializer checks about a namespace's topics before it starts (docs/materializer.md). */
public final class StartupChecks {
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
}
