package io.statecast.bench.internal;

import io.statecast.compact.ZstdValueCompression;
import io.statecast.consumer.StateView;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code StateView.get()} of a demo pod, sampled one call at a time, on two views of the same 50,000 pods
 * in the same JMH run: one keeping values as read (the uncompressed table), one with compact storage
 * ({@link ZstdValueCompression#defaults()}). Both are real views of an embedded broker started in the
 * benchmark's fork; a get takes the read lock, looks the key up, decompresses (compact) and decodes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ViewGetBenchmarks {
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private static final int PODS_IN_VIEW = 50_000;
    private KafkaFixture kafka;
    private StateView<Pod> plain;
    private StateView<Pod> compact;
    private String[] keys;

    /** Per thread: which of the keys the next get asks for. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup(Level.Trial)
    public void setUp() {
        kafka = KafkaFixture.start();
        String topic = "bench.get.pods";
        Data.create(kafka, topic);
        List<Pod> pods = PodsMemorySuite.generate(PODS_IN_VIEW);
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Pod p : pods) {
            String key = p.getNamespace() + "/" + p.getName();
            names.add(key);
            batch.add(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), PODS.encode(p)));
        }
        kafka.produce(topic, batch);
        plain = start(StateView.builder(Pod.class).topic(topic).kafka(kafka.clientConfig()));
        compact = start(StateView.builder(Pod.class)
                .topic(topic)
                .kafka(kafka.clientConfig())
                .valueCompression(ZstdValueCompression.defaults()));
        java.util.Collections.shuffle(names, new Random(7));
        keys = names.subList(0, 4096).toArray(String[]::new);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plain.close();
        compact.close();
        kafka.close();
    }

    /** A get from the view that keeps values as read. */
    @Benchmark
    public Pod viewGet(Cursor c) {
        return plain.get(keys[c.next++ & 4095]);
    }

    /** A get from the view with zstd compact storage. */
    @Benchmark
    public Pod viewGetCompact(Cursor c) {
        return compact.get(keys[c.next++ & 4095]);
    }

    private StateView<Pod> start(StateView.Builder<Pod> b) {
        StateView<Pod> v = b.build().start();
        v.awaitReady(Duration.ofMinutes(2));
        if (v.size() != PODS_IN_VIEW) {
            throw new IllegalStateException("view holds " + v.size() + " pods, expected " + PODS_IN_VIEW);
        }
        return v;
    }
}
