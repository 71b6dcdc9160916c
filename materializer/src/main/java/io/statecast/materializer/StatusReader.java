package io.statecast.materializer;

import io.statecast.common.Namespace;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.materializer.internal.StatusAdmin;
import io.statecast.materializer.internal.TopicTails;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Reads a {@link NamespaceStatus} from the cluster: read-only (admin describe/list calls, and a group-less
 * consumer reading the tail of {@code checksums} and the last hour of {@code rejections}).
 *
 * <pre>{@code
 * NamespaceStatus s = StatusReader.read(Map.of("bootstrap.servers", servers), Namespace.of("k8s"),
 *         "statecast-materializer-k8s", Clock.systemUTC());
 * }</pre>
 */
public final class StatusReader {
    /** How far back rejections are counted. */
    public static final Duration REJECTIONS_WINDOW = Duration.ofHours(1);

    private StatusReader() {}

    /**
     * The status of {@code ns} now.
     *
     * @param applicationId the materializer's application id (its consumer group), by default
     *     {@code statecast-materializer-<ns>}
     */
    public static NamespaceStatus read(Map<String, ?> kafka, Namespace ns, String applicationId, Clock clock) {
        Instant now = clock.instant();
        try (Admin admin = KafkaClients.admin(kafka)) {
            StatusAdmin a = new StatusAdmin(admin, ns);
            List<NamespaceStatus.Topic> topics = a.topics();
            NamespaceStatus.Group group = a.group(applicationId);
            TopicTails tails = new TopicTails(kafka);
            Map<Integer, TopicTails.LastChecksum> checksums =
                    exists(topics, ns.checksums()) ? tails.lastChecksums(ns.checksums()) : Map.of();
            List<NamespaceStatus.Partition> partitions = new ArrayList<>();
            if (exists(topics, ns.changes())) {
                a.offsets(applicationId, group).forEach(o -> partitions.add(partition(o, checksums)));
            }
            Map<String, Long> rejections = exists(topics, ns.rejections())
                    ? tails.rejectionsSince(ns.rejections(), now.minus(REJECTIONS_WINDOW))
                    : Map.of();
            long bytes = exists(topics, ns.state()) ? a.leaderBytes(ns.state()) : -1;
            return new NamespaceStatus(ns.name(), now, topics, group, partitions, rejections, bytes, a.slices());
        }
    }

    private static NamespaceStatus.Partition partition(
            StatusAdmin.Offsets o, Map<Integer, TopicTails.LastChecksum> checksums) {
        TopicTails.LastChecksum c = checksums.get(o.partition());
        // No committed offset: the materializer has processed nothing of the partition yet.
        long lag = Math.max(0, o.end() - Math.max(0, o.committed()));
        return new NamespaceStatus.Partition(
                o.partition(),
                o.end(),
                o.committed(),
                lag,
                o.owner(),
                c == null ? null : c.emittedAt(),
                c == null ? -1 : c.count());
    }

    private static boolean exists(List<NamespaceStatus.Topic> topics, String name) {
        return topics.stream().anyMatch(t -> t.name().equals(name) && t.exists());
    }
}
