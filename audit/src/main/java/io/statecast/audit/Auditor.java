package io.statecast.audit;

import io.statecast.audit.internal.Replay;
import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Bytes;

/**
 * Read-only replays of a namespace, for auditors: the table as of a point, a key's history, an
 * independent recomputation of the materializer's checksums, diffs, rejections. It never writes to a
 * topic, joins no consumer group and commits no offsets.
 *
 * <pre>{@code
 * try (Auditor auditor = new Auditor(Map.of("bootstrap.servers", servers), Namespace.of("k8s"))) {
 *     Table yesterday = auditor.asOf(PointInTime.at(Instant.parse("2026-11-23T12:00:00Z")));
 *     VerifyReport report = auditor.verify();
 * }
 * }</pre>
 */
public final class Auditor implements AutoCloseable {
    /** Printed when a replay had to use the compacted state topic. */
    public static final String COMPACTION_CAVEAT = "rebuilt from the compacted state topic (no history topic): a key"
            + " overwritten or deleted after this point may have lost its older records to compaction, so the table"
            + " is exact only for points within the topic's min.compaction.lag.ms of now or at its end";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Map<String, Object> kafka;
    private final Namespace ns;
    private final Clock clock;
    private final Admin admin;
    private BiConsumer<String, Double> progress = (topic, pct) -> { };

    public Auditor(Map<String, ?> kafka, Namespace ns) {
        this(kafka, ns, Clock.systemUTC());
    }

    public Auditor(Map<String, ?> kafka, Namespace ns, Clock clock) {
        this.kafka = new HashMap<>(kafka);
        this.ns = ns;
        this.clock = clock;
        this.admin = KafkaClients.admin(kafka);
        Set<String> topics = get(admin.listTopics().names());
        if (!topics.contains(ns.state())) {
            admin.close();
            throw new AuditException("Namespace '" + ns + "' not found: topic " + ns.state() + " does not exist");
        }
    }

    /** Receives (topic, percent read) during long replays. */
    public Auditor onProgress(BiConsumer<String, Double> listener) {
        this.progress = listener;
        return this;
    }

    /** Whether the namespace keeps an append-only history topic. */
    public boolean hasHistory() {
        return get(admin.listTopics().names()).contains(ns.history());
    }

    /** The table as it was at {@code point}, from {@code history} when it exists, else from {@code state} with a caveat. */
    public Table asOf(PointInTime point) {
        boolean history = hasHistory();
        String topic = history ? ns.history() : ns.state();
        List<ConsumerRecord<byte[], byte[]>> records = read(topic);
        checkTimeInLog(point, records, topic);
        Map<String, Entry> table = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Entry e = Replay.entry(r);
            if (point.includes(r.partition(), e.srcOffset(), r.timestamp())) {
                if (e.isDelete()) {
                    table.remove(e.key());
                } else {
                    table.put(e.key(), e);
                }
            }
        }
        return new Table(table, topic, history ? null : COMPACTION_CAVEAT);
    }

    /** Every version of {@code key}, oldest first (deletes included). */
    public List<Entry> history(String key) {
        boolean history = hasHistory();
        List<Entry> out = read(history ? ns.history() : ns.state()).stream().map(Replay::entry)
                .filter(e -> e.key().equals(key)).sorted(Comparator.comparingLong(Entry::version)).toList();
        if (out.isEmpty()) {
            throw new AuditException("Key '" + key + "' never existed in namespace " + ns
                    + (history ? "" : " (as far as the compacted state topic still shows)"));
        }
        return out;
    }

    /** Keys added, removed and changed between two points. */
    public Diff diff(PointInTime from, PointInTime to) {
        Table a = asOf(from);
        Table b = asOf(to);
        List<Entry> added = new ArrayList<>();
        List<Entry> removed = new ArrayList<>();
        List<Diff.Changed> changed = new ArrayList<>();
        b.entries().forEach((k, e) -> {
            Entry before = a.entries().get(k);
            if (before == null) {
                added.add(e);
            } else if (before.version() != e.version()) {
                changed.add(new Diff.Changed(k, before.version(), e.version()));
            }
        });
        a.entries().forEach((k, e) -> {
            if (!b.entries().containsKey(k)) {
                removed.add(e);
            }
        });
        return new Diff(added, removed, changed, b.caveat());
    }

    /** The rejected inputs since {@code since} (null: all). */
    public List<Rejection> rejections(Instant since) {
        return read(ns.rejections()).stream().map(r -> Envelopes.rejection().decode(r.value()))
                .filter(r -> since == null || !r.getRejectedAt().isBefore(since)).toList();
    }

    /**
     * Recomputes each partition's digest from the log and compares it with every checksum of the
     * {@code checksums} topic. A checkpoint is comparable when the replay is exact there: always from
     * {@code history}; from {@code state} when no record after the checkpoint is older than the topic's
     * {@code min.compaction.lag.ms} (the cleaner only drops a record for a newer record of the same key
     * that is itself older than that lag), or at the end of the log.
     */
    public VerifyReport verify() {
        boolean history = hasHistory();
        String topic = history ? ns.history() : ns.state();
        long lag = history ? Long.MAX_VALUE : minCompactionLagMs();
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> log = read(topic).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::partition, TreeMap::new, Collectors.toList()));
        Map<Integer, List<Checksum>> checksums = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read(ns.checksums())) {
            if (Envelopes.decodeChecksumsValue(r.value()) instanceof Checksum c) {
                checksums.computeIfAbsent(c.getPartition(), p -> new ArrayList<>()).add(c);
            }
        }
        List<VerifyReport.PartitionResult> results = new ArrayList<>();
        for (int p : partitionsOf(ns.state())) {
            results.add(verifyPartition(p, log.getOrDefault(p, List.of()), checksums.getOrDefault(p, List.of()), history, lag));
        }
        return new VerifyReport(topic, results);
    }

    private VerifyReport.PartitionResult verifyPartition(int p, List<ConsumerRecord<byte[], byte[]>> records,
            List<Checksum> checks, boolean history, long lagMs) {
        List<Checksum> sorted = new ArrayList<>(checks);
        sorted.sort(Comparator.comparingLong(Checksum::getSrcOffset));
        Map<Bytes, byte[]> table = new HashMap<>();
        Digest digest = new Digest();
        int i = 0;
        int verified = 0;
        int notComparable = 0;
        List<String> mismatches = new ArrayList<>();
        long now = clock.millis();
        for (Checksum c : sorted) {
            while (i < records.size() && src(records.get(i)) <= c.getSrcOffset()) {
                apply(table, digest, records.get(i++));
            }
            boolean atEnd = i == records.size();
            boolean exact = history || atEnd || records.get(i).timestamp() >= now - lagMs;
            if (c.getDigestVersion() != Digest.VERSION || !exact) {
                notComparable++;
            } else if (digest.value().matches(c.getCount(), c.getLanes())) {
                verified++;
            } else {
                DigestValue v = digest.value();
                mismatches.add("partition " + p + " at srcOffset " + c.getSrcOffset() + ": checksum count=" + c.getCount()
                        + " lanes=" + c.getLanes() + ", replay count=" + v.count() + " lanes=" + v.lanes());
            }
        }
        return new VerifyReport.PartitionResult(p, verified, mismatches.size(), notComparable, mismatches);
    }

    private static void apply(Map<Bytes, byte[]> table, Digest digest, ConsumerRecord<byte[], byte[]> r) {
        Bytes k = Bytes.wrap(r.key());
        byte[] old = r.value() == null ? table.remove(k) : table.put(k, r.value());
        if (old != null) {
            digest.remove(r.key(), old);
        }
        if (r.value() != null) {
            digest.add(r.key(), r.value());
        }
    }

    private static long src(ConsumerRecord<byte[], byte[]> r) {
        return StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
    }

    private void checkTimeInLog(PointInTime point, List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        if (point.time() == null || records.isEmpty()) {
            return;
        }
        long first = records.stream().mapToLong(ConsumerRecord::timestamp).min().orElse(Long.MAX_VALUE);
        if (point.time().toEpochMilli() < first) {
            throw new AuditException("Time " + point.time() + " is before the start of " + topic + " (its first record is at "
                    + Instant.ofEpochMilli(first) + ")");
        }
    }

    private long minCompactionLagMs() {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, ns.state());
        return Long.parseLong(get(admin.describeConfigs(List.of(r)).all()).get(r).get("min.compaction.lag.ms").value());
    }

    private List<Integer> partitionsOf(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(p -> p.partition()).sorted().toList();
    }

    // One place reads a topic from the beginning to its end, reporting progress.
    private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka, Map.of("client.id", "statecast-audit"))) {
            List<TopicPartition> parts = io.statecast.common.kafka.TopicReader.partitions(c, topic, TIMEOUT);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, TIMEOUT);
            Map<TopicPartition, Long> start = c.beginningOffsets(parts, TIMEOUT);
            long total = Math.max(1, parts.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum());
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            io.statecast.common.kafka.TopicReader.readToEnd(c, end, Duration.ofMinutes(30), r -> {
                out.add(r);
                if (out.size() % 10_000 == 0) {
                    progress.accept(topic, 100.0 * out.size() / total);
                }
            });
            progress.accept(topic, 100.0);
            out.sort(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition()).thenComparingLong(ConsumerRecord::offset));
            return out;
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new StatecastException("Kafka admin request failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
