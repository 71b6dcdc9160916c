package io.statecast.consumer.internal;

import io.statecast.consumer.spi.StoredValueException;
import io.statecast.consumer.spi.ValueCompression;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one view's tables keep values: as read ({@link #none()}), or compressed by a {@link ValueCompression}
 * once it has been trained from the first values stored. Shared by every table of the view; written by
 * the poll thread only (under the view's write lock), read from any thread.
 */
final class StoredValues {
    private static final Logger log = LoggerFactory.getLogger(StoredValues.class);

    private final ValueCompression compression;
    private List<byte[]> samples;
    private volatile ValueCompression.Compressor compressor;
    private long failedCompressions;

    private StoredValues(ValueCompression compression) {
        this.compression = compression;
        this.samples = compression == null ? null : new ArrayList<>();
    }

    /** Values kept as read. */
    static StoredValues none() {
        return new StoredValues(null);
    }

    /** Values kept as {@code compression} makes them; null: as read. */
    static StoredValues of(ValueCompression compression) {
        return new StoredValues(compression);
    }

    /** Whether values may be compressed (now or once trained). */
    boolean enabled() {
        return compression != null && (compressor != null || samples != null);
    }

    /** Whether values are stored as read only until the compressor is trained from them. */
    boolean gathering() {
        return samples != null;
    }

    /** Whether values are compressed from now on. */
    boolean ready() {
        return compressor != null;
    }

    /**
     * The stored form of {@code value}, or null to store it as it is: not compressing, still gathering
     * the values to train from (this one among them), or the compressor failed on it (counted).
     */
    byte[] compress(byte[] value) {
        ValueCompression.Compressor c = compressor;
        if (c == null) {
            if (samples == null) {
                return null;
            }
            sample(value);
            c = compressor;
            if (c == null) {
                return null;
            }
        }
        try {
            return c.compress(value);
        } catch (RuntimeException e) {
            failedCompressions++; // kept as read: losing the value is not an option
            if (Long.bitCount(failedCompressions) == 1) { // the 1st, 2nd, 4th, 8th... failure: seen, never a flood
                log.warn(
                        "value compression failed {} times, those values are kept as read: {}",
                        failedCompressions,
                        e.toString());
            }
            return null;
        }
    }

    /**
     * The value (or key ‖ value, when {@link #takesKeys()}) stored compressed in {@code stored[from, from + n)}.
     *
     * @param key the entry's key, named by the error; null when it is inside the compressed bytes
     * @throws StoredValueException when the compressor rejects those bytes
     */
    byte[] decompress(byte[] stored, int from, int n, byte[] key) {
        return decompress(stored, from, n, key, 0, key == null ? 0 : key.length);
    }

    /**
     * As {@link #decompress(byte[], int, int, byte[])}, the key named by the error being {@code keyIn[keyFrom,
     * keyFrom + keyLength)}: it is copied only to build that error, not for every entry read.
     */
    byte[] decompress(byte[] stored, int from, int n, byte[] keyIn, int keyFrom, int keyLength) {
        try {
            return compressor.decompress(stored, from, n);
        } catch (RuntimeException e) {
            throw new StoredValueException(keyText(keyIn, keyFrom, keyLength), e);
        }
    }

    /**
     * Frees the compressor's resources: the view is closing. Values stored compressed can no longer be read
     * back, so it is called only once the view refuses reads.
     */
    void close() {
        ValueCompression.Compressor c = compressor;
        samples = null; // a closed view trains nothing
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException e) {
            log.warn("value compressor failed to close: {}", e.toString());
        }
    }

    /** Whether values are compressed together with their keys (key ‖ value), see {@link ValueCompression#takesKeys()}. */
    boolean takesKeys() {
        return compression != null && compression.takesKeys();
    }

    /** Values the compressor threw on, kept as read (logged at each power of two). */
    long failedCompressions() {
        return failedCompressions;
    }

    private void sample(byte[] value) {
        samples.add(value.clone());
        if (samples.size() < Math.max(1, compression.trainingValues())) {
            return;
        }
        List<byte[]> taken = samples;
        samples = null; // one try: a view that cannot train keeps its values as read
        long start = System.nanoTime();
        try {
            compressor = compression.train(taken);
            log.info(
                    "value compression trained from {} values in {} ms",
                    taken.size(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn(
                    "value compression could not be trained from {} values, values stay uncompressed: {}",
                    taken.size(),
                    e.toString());
        }
    }

    private static String keyText(byte[] keyIn, int keyFrom, int keyLength) {
        return keyIn == null
                ? "(stored compressed with its value)"
                : new String(keyIn, keyFrom, keyLength, StandardCharsets.UTF_8);
    }
}
