package io.statecast.materializer;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastHeaders;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;

/** Test helpers: provision a namespace, start materializers, recompute digests from the state log. */
final class MaterializerFixture {
    private static final AtomicInteger DIRS = new AtomicInteger();

    private MaterializerFixture() {}

    static Namespace provision(KafkaFixture kafka, int partitions) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(partitions));
        }
        return ns;
    }

    /**
     * Starts a materializer under {@code applicationId}: a new one is another consumer group with other store
     * changelogs, so it starts from a new, empty store (rebuilt from the state log when that holds records).
     */
    static Materializer startAs(KafkaFixture kafka, Namespace ns, String applicationId) {
        return start(kafka, ns, Map.of(MaterializerConfig.APPLICATION_ID, applicationId));
    }

    /** A producer of {@link Node} changes to the namespace, producer id {@code it}. */
    static StatecastProducer<Node> nodeProducer(KafkaFixture kafka, Namespace ns) {
        return StatecastProducer.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .producerId("it")
                .build();
    }

    static Materializer start(KafkaFixture kafka, Namespace ns, Map<String, Object> extra) {
        return start(kafka, ns, extra, java.time.Clock.systemUTC());
    }

    /** The same, with the materializer's clock (record times, checksum intervals, deletion times) given. */
    static Materializer start(KafkaFixture kafka, Namespace ns, Map<String, Object> extra, java.time.Clock clock) {
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 1000L);
        c.put(MaterializerConfig.STATE_DIR, stateDir().toString());
        c.put("num.stream.threads", 1);
        c.putAll(extra);
        Materializer m = new Materializer(new MaterializerConfig(c), clock).start();
        Conditions.waitForEquals(
                "the materializer's state", Duration.ofSeconds(60), KafkaStreams.State.RUNNING, m::state);
        return m;
    }

    static Path stateDir() {
        return Path.of(
                System.getProperty("statecast.test.dir", System.getProperty("java.io.tmpdir")),
                "streams-" + ProcessHandle.current().pid() + "-" + DIRS.incrementAndGet());
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    static long version(ConsumerRecord<byte[], byte[]> r) {
        return StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1);
    }

    static long srcOffset(ConsumerRecord<byte[], byte[]> r) {
        return StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
    }

    /** The digest of partition p of the state log after every record with srcOffset <= upTo, from scratch. */
    static DigestValue digestFromLog(List<ConsumerRecord<byte[], byte[]>> state, int partition, long upTo) {
        return digestFromLog(state, partition, upTo, Digest.VERSION);
    }

    /** The same, in digest version {@code version}. */
    static DigestValue digestFromLog(
            List<ConsumerRecord<byte[], byte[]>> state, int partition, long upTo, int version) {
        Map<Bytes, byte[]> table = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : state) {
            if (r.partition() == partition && srcOffset(r) <= upTo) {
                if (r.value() == null) {
                    table.remove(Bytes.wrap(r.key()));
                } else {
                    table.put(Bytes.wrap(r.key()), r.value());
                }
            }
        }
        Digest d = new Digest(EntryHash.forVersion(version));
        table.forEach((k, v) -> d.add(k.get(), v));
        return d.value();
    }

    static List<Checksum> checksums(KafkaFixture kafka, Namespace ns) {
        List<Checksum> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.checksums())) {
            Object v = Envelopes.decodeChecksumsValue(r.value());
            if (v instanceof Checksum c) {
                out.add(c);
            }
        }
        return out;
    }
}
