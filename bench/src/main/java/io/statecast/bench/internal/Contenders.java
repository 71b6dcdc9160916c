package io.statecast.bench.internal;

import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.consumer.StateView;
import io.statecast.testkit.KafkaFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The contenders of the bootstrap suite: each loads the whole topic and returns what it holds. */
public final class Contenders {
    private Contenders() {}

    /** What a consumer-based contender holds once loaded; closing the consumer is not timed (nor is a view's). */
    public record Loaded(KafkaConsumer<byte[], byte[]> consumer, Object held) implements AutoCloseable {
        @Override
        public void close() {
            consumer.close(Duration.ZERO);
        }
    }

    /** The wire limit: a raw consumer reading to the end, counting bytes. */
    public static Loaded rawRead(KafkaFixture kafka, String topic) {
        AtomicLong bytes = new AtomicLong();
        KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka.clientConfig(), Map.of());
        TopicReader.readAll(
                c, topic, Duration.ofMinutes(5), r -> bytes.addAndGet(r.serializedKeySize() + r.serializedValueSize()));
        return new Loaded(c, bytes);
    }

    /** The naive map: {@code HashMap<Bytes, byte[]>}. */
    public static Loaded naiveMap(KafkaFixture kafka, String topic) {
        Map<Bytes, byte[]> map = new HashMap<>();
        KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka.clientConfig(), Map.of());
        TopicReader.readAll(c, topic, Duration.ofMinutes(5), r -> {
            if (r.value() == null) {
                map.remove(Bytes.wrap(r.key()));
            } else {
                map.put(Bytes.wrap(r.key()), r.value());
            }
        });
        return new Loaded(c, map);
    }

    /** A Statecast view of the plain compacted topic (header check and digest on apply, bytes stored). */
    public static StateView<GenericRecord> statecast(KafkaFixture kafka, String topic, Path snapshots) {
        return statecast(kafka, topic, snapshots, Duration.ofHours(1));
    }

    /** As {@link #statecast(KafkaFixture, String, Path)}, saving a snapshot every {@code interval}. */
    public static StateView<GenericRecord> statecast(
            KafkaFixture kafka, String topic, Path snapshots, Duration interval) {
        StateView.Builder<GenericRecord> b =
                StateView.builder(Data.BLOB).topic(topic).kafka(kafka.clientConfig());
        if (snapshots != null) {
            b.snapshots(snapshots, interval);
        }
        StateView<GenericRecord> v = b.build();
        v.start().awaitReady(Duration.ofMinutes(5));
        return v;
    }

    /**
     * KCache (in-memory backing cache) over the topic, read-only and without topic validation: init()
     * returns once the cache has read the topic to its end.
     */
    public static io.kcache.KafkaCache<Bytes, byte[]> kcache(KafkaFixture kafka, String topic) {
        Properties p = new Properties();
        p.put(io.kcache.KafkaCacheConfig.KAFKACACHE_BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(io.kcache.KafkaCacheConfig.KAFKACACHE_TOPIC_CONFIG, topic);
        p.put(io.kcache.KafkaCacheConfig.KAFKACACHE_TOPIC_READ_ONLY_CONFIG, "true");
        p.put(io.kcache.KafkaCacheConfig.KAFKACACHE_TOPIC_SKIP_VALIDATION_CONFIG, "true");
        p.put(io.kcache.KafkaCacheConfig.KAFKACACHE_BACKING_CACHE_CONFIG, "memory");
        p.put(io.kcache.KafkaCacheConfig.KAFKACACHE_GROUP_ID_CONFIG, "bench-kcache-" + System.nanoTime());
        io.kcache.KafkaCache<Bytes, byte[]> cache =
                new io.kcache.KafkaCache<>(new io.kcache.KafkaCacheConfig(p), Serdes.Bytes(), Serdes.ByteArray());
        cache.init();
        return cache;
    }

    /** Closes a KCache, turning its checked IOException into an unchecked one. */
    public static void close(io.kcache.KafkaCache<Bytes, byte[]> cache) {
        try {
            cache.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A GlobalKTable of the topic; returns the running application (the store is restored when RUNNING). */
    public static KafkaStreams globalKTable(
            KafkaFixture kafka, String topic, boolean rocksDb, boolean fastFetch, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        String store = "gkt-" + System.nanoTime();
        Materialized<Bytes, byte[], KeyValueStore<Bytes, byte[]>> m = Materialized.<Bytes, byte[]>as(
                        rocksDb ? Stores.persistentKeyValueStore(store) : Stores.inMemoryKeyValueStore(store))
                .withKeySerde(Serdes.Bytes())
                .withValueSerde(Serdes.ByteArray());
        builder.globalTable(topic, Consumed.with(Serdes.Bytes(), Serdes.ByteArray()), m);
        Properties p = new Properties();
        p.putAll(kafka.clientConfig());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, store);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        if (fastFetch) {
            p.put("global.consumer.fetch.max.wait.ms", 10);
        }
        KafkaStreams s = new KafkaStreams(builder.build(), p);
        s.start();
        while (s.state() != KafkaStreams.State.RUNNING) {
            if (s.state() == KafkaStreams.State.ERROR || s.state() == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("GlobalKTable application failed");
            }
            sleep(5);
        }
        return s;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
