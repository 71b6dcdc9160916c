package io.statecast.compact;

import io.statecast.consumer.spi.ValueCompression;
import java.util.List;

/**
 * Compact storage for a {@code StateView}: each value compressed with zstd and a dictionary trained from
 * the first values the view applies.
 *
 * <pre>{@code
 * StateView<Pod> view = StateView.builder(Pod.class)
 *         .namespace("k8s").kafka(Map.of("bootstrap.servers", servers))
 *         .valueCompression(ZstdValueCompression.defaults())
 *         .build();
 * }</pre>
 *
 * @param trainingValues how many values the dictionary is trained from
 * @param dictionaryBytes the dictionary's largest size
 * @param level the zstd compression level
 */
public record ZstdValueCompression(int trainingValues, int dictionaryBytes, int level) implements ValueCompression {
    /** Values trained from by {@link #defaults()}. */
    public static final int DEFAULT_TRAINING_VALUES = 10_000;
    /** Dictionary size of {@link #defaults()}. */
    public static final int DEFAULT_DICTIONARY_BYTES = 16 * 1024;
    /** zstd level of {@link #defaults()}. */
    public static final int DEFAULT_LEVEL = 3;

    /** Checks the settings. @throws CompactionException when one is out of range */
    public ZstdValueCompression {
        if (trainingValues < 1 || dictionaryBytes < 256 || level < 1 || level > 22) {
            throw new CompactionException("need trainingValues >= 1, dictionaryBytes >= 256 and level in [1, 22], got "
                    + trainingValues + ", " + dictionaryBytes + ", " + level);
        }
    }

    /** A 16 KB dictionary trained from the first 10,000 values, level 3. */
    public static ZstdValueCompression defaults() {
        return new ZstdValueCompression(DEFAULT_TRAINING_VALUES, DEFAULT_DICTIONARY_BYTES, DEFAULT_LEVEL);
    }

    /**
     * Yes: a key compressed with its value costs a few bytes where the value repeats it (a pod's namespace
     * and name: 23 key bytes took 5 in the demo's pods).
     */
    @Override
    public boolean takesKeys() {
        return true;
    }

    @Override
    public Compressor train(List<byte[]> samples) {
        ZstdDictionaryCodec codec = ZstdDictionaryCodec.train(samples, dictionaryBytes, level);
        return new Compressor() {
            @Override
            public byte[] compress(byte[] value) {
                return codec.compress(value);
            }

            @Override
            public byte[] decompress(byte[] stored, int from, int length) {
                return codec.decompress(stored, from, length);
            }

            @Override
            public void close() {
                codec.close(); // native memory: nothing else frees it
            }
        };
    }
}
