package io.statecast.materializer.internal;

import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.schemas.Checksum;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before Kafka Streams starts: a partition whose {@code <ns>.state} log holds records while the {@code meta}
 * store's changelog holds nothing for it (a new {@code application.id}, or stores and changelogs lost)
 * would start versions at 1 and the digest at zero while the state log says otherwise. Its table and meta
 * rows are rebuilt from the state log ({@link StateImage}: versions from {@code sc.version}, the exact
 * bytes, source orders), its last processed {@code changes} offset from the state log, the last mark on
 * {@code <ns>.checksums} and the rejections written after it ({@link RejectionsTail}), and written into the
 * changelog topics Kafka Streams restores the stores from, in one transaction that also commits the
 * group's offsets where there are none; Streams then restores them like any changelog. The rebuilt digest
 * must equal the last checksum when that checksum covers the last state record, else nothing is written.
 */
public final class StoreRebuild {
    private static final Logger log = LoggerFactory.getLogger(StoreRebuild.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Map<String, Object> kafka;
    private final Namespace ns;
    private final String applicationId;
    private final Admin admin;
    private final EntryHash hash;

    /** @param hash the entry hash (digest version) of the rebuilt digests, as the processor keeps them */
    public StoreRebuild(Map<String, Object> kafka, Namespace ns, String applicationId, Admin admin, EntryHash hash) {
        this.kafka = kafka;
        this.ns = ns;
        this.applicationId = applicationId;
        this.admin = admin;
        this.hash = hash;
    }

    /** The changelog topic of one of the materializer's stores, as Kafka Streams names it. */
    public static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /**
     * Rebuilds every partition that needs it and returns the partitions of {@code <ns>.state} that hold
     * records (their task must find its meta row).
     *
     * @param replicationFactor of changelog topics created here (Streams' {@code replication.factor}; empty:
     *     the broker's default)
     * @param topicConfigs further configs of changelog topics (Streams' {@code topic.*})
     */
    public Set<Integer> run(int partitions, Optional<Short> replicationFactor, Map<String, String> topicConfigs) {
        Set<Integer> withData = nonEmpty(ns.state(), partitions);
        Set<Integer> todo = new TreeSet<>(withData);
        todo.retainAll(emptyMetaPartitions(partitions));
        if (!todo.isEmpty()) {
            log.warn(
                    "[materializer ns={}] application.id={}: partitions {} of {} hold records but the store's changelog"
                            + " holds nothing for them; rebuilding their table and meta from the state log",
                    ns,
                    applicationId,
                    todo,
                    ns.state());
            ensureChangelogs(partitions, replicationFactor, topicConfigs);
            rebuild(todo, partitions);
        }
        return withData;
    }

    private void rebuild(Set<Integer> todo, int partitions) {
        for (int attempt = 1; ; attempt++) {
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, producerConfig())) {
                producer.initTransactions(); // fences another instance rebuilding at the same time
                Set<Integer> still = new TreeSet<>(todo);
                still.retainAll(emptyMetaPartitions(partitions));
                if (!still.isEmpty()) {
                    write(producer, still);
                }
                return;
            } catch (ProducerFencedException e) {
                if (attempt == 3) {
                    throw new StatecastException("Rebuilding the stores of " + ns + ": fenced three times", e);
                }
                log.warn("[materializer ns={}] rebuild fenced by another instance; looking again", ns);
            }
        }
    }

    private void write(KafkaProducer<byte[], byte[]> producer, Set<Integer> todo) {
        Map<Integer, LastMarks.Tail> marks;
        Map<Integer, Long> rejected;
        Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, applicationId);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, Map.of())) {
            marks = LastMarks.read(consumer, ns.checksums(), todo, TIMEOUT);
            rejected = RejectionsTail.lastRejected(consumer, ns, todo, since(marks, todo), TIMEOUT);
        }
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p : todo) {
            TopicPartition changes = new TopicPartition(ns.changes(), p);
            Long done = committed.get(changes);
            long processed = Math.max(rejected.getOrDefault(p, -1L), done == null ? -1 : done - 1);
            PartitionMeta meta = rebuildPartition(producer, p, marks.get(p), processed);
            if (done == null) {
                offsets.put(changes, new OffsetAndMetadata(meta.lastSrcOffset + 1));
            }
        }
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(applicationId));
        }
        producer.commitTransaction();
    }

    // Reads partition p of state into an image, checks it against the last checksum, sends its rows.
    private PartitionMeta rebuildPartition(
            KafkaProducer<byte[], byte[]> producer, int p, LastMarks.Tail tail, long processed) {
        StateImage image = new StateImage();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, Map.of())) {
            TopicPartition tp = new TopicPartition(ns.state(), p);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            TopicReader.readToEnd(consumer, consumer.endOffsets(List.of(tp), TIMEOUT), TIMEOUT, image::apply);
        }
        long marked = tail == null ? -1 : tail.lastMark().srcOffset();
        // Keys purged from the table left no trace in the log once their tombstones were cleaned: the floor does.
        long floor = tail == null
                ? 0
                : Math.max(0, StatecastHeaders.readLong(tail.lastMark().headers(), StatecastHeaders.VERSION_FLOOR, 0));
        PartitionMeta meta = image.meta(hash, Math.max(processed, marked), marked, floor);
        check(p, image, tail);
        String table = changelog(applicationId, TopologyNames.TABLE_STORE);
        image.rows().forEach((k, e) -> producer.send(new ProducerRecord<>(table, p, k.get(), e.encode())));
        producer.send(
                new ProducerRecord<>(changelog(applicationId, TopologyNames.META_STORE), p, metaKey(p), meta.encode()));
        log.info(
                "[materializer ns={}] partition {}: rebuilt {} rows ({} live) from {} state records; last processed"
                        + " changes offset {}",
                ns,
                p,
                image.rows().size(),
                meta.digest.count(),
                image.records(),
                meta.lastSrcOffset);
        return meta;
    }

    // The last checksum at or after the last state record describes exactly this table: it must agree.
    private void check(int p, StateImage image, LastMarks.Tail tail) {
        Checksum c = tail == null ? null : tail.lastChecksum();
        if (c == null || c.getSrcOffset() < image.stateSrcOffset()) {
            return;
        }
        DigestValue logs =
                image.digest(EntryHash.forVersion(c.getDigestVersion())).value();
        if (!logs.matches(c.getCount(), c.getLanes())) {
            throw new StatecastException("Cannot rebuild partition " + p + " of " + ns + " from " + ns.state()
                    + ": the log's " + logs + " differs from the last checksum " + c
                    + "; the state log was not written by this namespace's materializer alone");
        }
    }

    private static byte[] metaKey(int partition) {
        return ByteBuffer.allocate(4).putInt(partition).array(); // Serdes.Integer(), as the meta store keys rows
    }

    // Rejections of changes after the last mark were written after it (same task, same clock); a minute back
    // covers a clock that stepped back meanwhile. Without any mark, every rejection counts.
    private static long since(Map<Integer, LastMarks.Tail> marks, Set<Integer> todo) {
        return todo.stream()
                .mapToLong(p -> marks.containsKey(p) ? marks.get(p).lastMark().emittedAtMs() - 60_000 : 0)
                .min()
                .orElse(0);
    }

    private Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                applicationId + "-statecast-rebuild",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) Duration.ofMinutes(15).toMillis());
    }

    private Set<Integer> nonEmpty(String topic, int partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, Map.of())) {
            List<TopicPartition> parts = TopicReader.partitions(consumer, topic, TIMEOUT).stream()
                    .filter(tp -> tp.partition() < partitions)
                    .toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, TIMEOUT);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, TIMEOUT);
            return parts.stream()
                    .filter(tp -> end.get(tp) > begin.get(tp))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    // Partitions of the meta changelog that hold nothing: all of them when the topic does not exist.
    private Set<Integer> emptyMetaPartitions(int partitions) {
        String meta = changelog(applicationId, TopologyNames.META_STORE);
        Set<Integer> empty = new TreeSet<>();
        for (int p = 0; p < partitions; p++) {
            empty.add(p);
        }
        if (topicExists(meta)) {
            empty.removeAll(nonEmpty(meta, partitions));
        }
        return empty;
    }

    private boolean topicExists(String topic) {
        try {
            return admin.listTopics().names().get().contains(topic);
        } catch (ExecutionException e) {
            throw new StatecastException("Cannot list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        }
    }

    // The changelogs Streams would create (compacted, one partition per task), made here so that the rebuilt
    // rows can be written before it starts; Streams uses them as they are.
    private void ensureChangelogs(int partitions, Optional<Short> rf, Map<String, String> topicConfigs) {
        Map<String, String> configs = new HashMap<>(topicConfigs);
        configs.put("cleanup.policy", "compact");
        List<NewTopic> topics =
                List.of(TopologyNames.TABLE_STORE, TopologyNames.META_STORE, TopologyNames.SLICES_STORE).stream()
                        .map(store -> changelog(applicationId, store))
                        .filter(t -> !topicExists(t))
                        .map(t -> new NewTopic(t, Optional.of(partitions), rf).configs(configs))
                        .toList();
        if (topics.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new StatecastException(
                        "Cannot create " + topics + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        } catch (KafkaException e) {
            throw new StatecastException("Cannot create " + topics + ": " + e.getMessage(), e);
        }
        io.statecast.common.kafka.TopicReadiness.awaitPartitionsAnswer(
                admin, topics.stream().map(NewTopic::name).toList(), Duration.ofSeconds(60));
    }
}
