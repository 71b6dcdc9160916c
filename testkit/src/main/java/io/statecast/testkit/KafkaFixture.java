package io.statecast.testkit;

import io.statecast.testkit.internal.Compaction;
import io.statecast.testkit.internal.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka for one test JVM plus the helpers tests need: fresh namespaces, topics that answer
 * before they are used, produce, read to the end, forced compaction. Get it from
 * {@link StatecastKafkaTest}:
 *
 * <pre>{@code
 * @StatecastKafkaTest
 * class MyIT {
 *     @Test
 *     void roundTrip(KafkaFixture kafka) {
 *         String topic = kafka.newNamespace() + ".t";
 *         kafka.createTopic(topic, 3, Map.of());
 *         kafka.produce(topic, List.of(new ProducerRecord<>(topic, key, value)));
 *         assertEquals(1, kafka.readToEnd(topic).size());
 *     }
 * }
 * }</pre>
 */
public final class KafkaFixture implements AutoCloseable {
    /** Key prefix of the records {@link #forceCompaction} writes to roll segments; readers may skip them. */
    public static final String ROLL_MARKER_KEY_PREFIX = Compaction.MARKER_PREFIX;

    private static final AtomicInteger STARTS = new AtomicInteger();
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final KafkaCluster cluster;
    private final Admin admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaFixture(KafkaCluster cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(cluster.clientConfig());
    }

    /** Starts the cluster {@link Kafka#choose()} picks. The shared extension calls this once per JVM. */
    public static KafkaFixture start() {
        STARTS.incrementAndGet();
        return new KafkaFixture(Kafka.start());
    }

    /** A fixture over a cluster the caller owns (closing the fixture closes it). */
    public static KafkaFixture of(KafkaCluster cluster) {
        return new KafkaFixture(cluster);
    }

    /** How many fixtures this JVM started (tests prove that test classes share one). */
    public static int starts() {
        return STARTS.get();
    }

    public KafkaCluster cluster() {
        return cluster;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A fresh copy of the client settings ({@code bootstrap.servers} and security). */
    public Map<String, Object> clientConfig() {
        return new HashMap<>(cluster.clientConfig());
    }

    /** A shared admin client; do not close it. */
    public Admin admin() {
        return admin;
    }

    /** The embedded cluster, for restart tests; fails when the tests run against another kind. */
    public EmbeddedKafkaCluster embedded() {
        if (cluster instanceof EmbeddedKafkaCluster) {
            return (EmbeddedKafkaCluster) cluster;
        }
        throw new IllegalStateException("This test needs the embedded cluster; it runs against "
                + cluster.getClass().getSimpleName());
    }

    /** A namespace no other test uses, valid as a topic name prefix. */
    public String newNamespace() {
        return "t" + NAMESPACES.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    }

    /** Creates a topic with these configs and waits until every partition answers. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        short rf = (short) Math.min(3, brokerCount());
        createTopics(List.of(new NewTopic(name, partitions, rf).configs(configs)));
    }

    /**
     * Creates topics and waits until every partition answers {@code ListOffsets}. An idempotent producer
     * that sends the moment a topic is created can lose records (KAFKA-15591); after this wait it does not.
     */
    public void createTopics(Collection<NewTopic> topics) {
        get(admin.createTopics(topics).all());
        awaitPartitionsAnswer(topics.stream().map(NewTopic::name).collect(Collectors.toList()), Duration.ofSeconds(30));
    }

    /** Waits until {@code ListOffsets(latest)} succeeds for every partition of the topics. */
    public void awaitPartitionsAnswer(Collection<String> topics, Duration timeout) {
        Conditions.waitFor("every partition of " + topics + " answers ListOffsets", timeout, () -> {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (TopicDescription d :
                    get(admin.describeTopics(topics).allTopicNames()).values()) {
                d.partitions()
                        .forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            get(admin.listOffsets(request).all());
            return true;
        });
    }

    /** Produces with an idempotent producer (acks=all) and returns where each record landed; fails on any send error. */
    public List<RecordMetadata> produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        Map<String, Object> c = clientConfig();
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) {
                if (!r.topic().equals(topic)) {
                    throw new IllegalArgumentException("record for " + r.topic() + " given to produce(" + topic + ")");
                }
                futures.add(p.send(r));
            }
            p.flush();
            List<RecordMetadata> out = new ArrayList<>();
            for (Future<RecordMetadata> f : futures) {
                out.add(get(f));
            }
            return out;
        }
    }

    /**
     * Every committed record of the topic, partition by partition in offset order: reads from the
     * beginning until each partition's position reaches the end offset captured first (not "last
     * offset + 1": transaction markers occupy offsets).
     */
    public List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        Map<String, Object> c = clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("readToEnd(" + topic + ") did not reach " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            out.sort((a, b) -> a.partition() != b.partition()
                    ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return out;
        }
    }

    /**
     * Makes the log cleaner compact the topic now and waits until no key appears twice among the
     * records read from it, i.e. until every superseded record is gone. It sets small segments,
     * {@code min.cleanable.dirty.ratio=0.01} and {@code min.compaction.lag.ms=0} on the topic and
     * writes one marker record per partition to roll the segment holding the data (only closed
     * segments are cleaned). The marker keys start with {@link #ROLL_MARKER_KEY_PREFIX}; they stay in the
     * topic. Fails with an {@link AssertionError} naming the last count of superseded records after
     * {@code timeout}. See testkit/README.md for the exact semantics.
     */
    public void forceCompaction(String topic, Duration timeout) {
        Compaction.force(admin, topic, timeout, this::readToEnd, this::produce);
    }

    private int brokerCount() {
        return get(admin.describeCluster().nodes()).size();
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Waits for a Kafka future, unwrapping its failure. */
    public static <T> T get(Future<T> future) {
        return Futures.get(future);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            admin.close(Duration.ofSeconds(5));
            cluster.close();
        }
    }
}
