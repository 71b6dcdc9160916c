package io.statecast.bench.internal;

import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Pod;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH micro-benchmarks of the per-entry costs of a view: digest upkeep, hashing, Pod decode/encode. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroBenchmarks {
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private static final Hasher128 KEY_HASH = Hashing.xxh3_128(0x5CA1AB1EL);
    private static final Hasher128 VALUE_HASH = Hashing.xxh3_128(0x2545F4914F6CDD1DL);
    private byte[][] keys;
    private byte[][] values;
    private byte[][] pods;
    private Pod pod;
    private Digest digest;
    private int i;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        keys = new byte[1024][];
        values = new byte[1024][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = Data.key(k);
            values[k] = Data.value(r);
        }
        List<Pod> sample = PodsMemorySuite.generate(1024);
        pods = new byte[sample.size()][];
        for (int k = 0; k < pods.length; k++) {
            pods[k] = PODS.encode(sample.get(k));
        }
        pod = sample.get(0);
        digest = new Digest();
    }

    /** Adding one 64 B key + 200 B value entry to a partition digest. */
    @Benchmark
    public Digest digestAdd() {
        int k = i++ & 1023;
        digest.add(keys[k], values[k]);
        return digest;
    }

    /** The 128-bit entry hash alone (digest version 2, XXH3-128). */
    @Benchmark
    public long[] entryHash() {
        int k = i++ & 1023;
        return EntryHash.V2.of(keys[k], values[k]);
    }

    /**
     * The reference speed of digest version 2's work: hash4j's XXH3-128 of the same key and value, with
     * fixed seeds (version 2 seeds the value's hash with the key's, which hash4j takes only per hasher, so
     * the result differs; the arithmetic is the same).
     */
    @Benchmark
    public long referenceXxh3() {
        int k = i++ & 1023;
        return KEY_HASH.hashBytesTo128Bits(keys[k]).getMostSignificantBits()
                ^ VALUE_HASH.hashBytesTo128Bits(values[k]).getLeastSignificantBits();
    }

    /** The entry hash of digest version 1 (MurmurHash3 x64 128 of a length-prefixed copy). */
    @Benchmark
    public long[] entryHashV1() {
        int k = i++ & 1023;
        return EntryHash.V1.of(keys[k], values[k]);
    }

    /** Decoding one demo Pod from its single-object encoding (what a decoding read or listener pays). */
    @Benchmark
    public Pod podDecode() {
        return PODS.decode(pods[i++ & 1023]);
    }

    /** Encoding one demo Pod (what a producer pays). */
    @Benchmark
    public byte[] podEncode() {
        return PODS.encode(pod);
    }
}
