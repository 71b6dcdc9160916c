package io.statecast.bench.internal;

import io.statecast.compact.ZstdDictionaryCodec;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Pod;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a typed {@code get()} of a demo pod costs beyond the table lookup, sampled one call at a time so that
 * percentiles can be read: decoding the stored payload (today's table), and decompressing it from compact
 * storage (zstd, dictionary trained on 10,000 other pods) then decoding it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GetBenchmarks {
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private byte[][] raw;
    private byte[][] compressed;
    private ZstdDictionaryCodec codec;
    private int i;

    @Setup
    public void setUp() {
        List<Pod> pods = PodsMemorySuite.generate(11_024);
        List<byte[]> training =
                pods.subList(0, 10_000).stream().map(PODS::encode).toList();
        codec = ZstdDictionaryCodec.train(training, 16 * 1024, 3);
        raw = new byte[1024][];
        compressed = new byte[1024][];
        for (int k = 0; k < 1024; k++) {
            raw[k] = PODS.encode(pods.get(10_000 + k));
            compressed[k] = codec.compress(raw[k]);
        }
    }

    @TearDown
    public void tearDown() {
        codec.close();
    }

    /** Decoding the payload as the table stores it now. */
    @Benchmark
    public Pod getDecode() {
        return PODS.decode(raw[i++ & 1023]);
    }

    /** Decompressing the payload from compact storage, then decoding it. */
    @Benchmark
    public Pod getDecompressDecode() {
        return PODS.decode(codec.decompress(compressed[i++ & 1023]));
    }

    /** Decompressing alone (what an untyped read of compact storage pays). */
    @Benchmark
    public byte[] getDecompress() {
        return codec.decompress(compressed[i++ & 1023]);
    }
}
