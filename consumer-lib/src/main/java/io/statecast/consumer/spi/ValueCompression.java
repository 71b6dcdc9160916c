package io.statecast.consumer.spi;

import java.util.List;

/**
 * Compact storage of a view's values ({@code StateView.Builder#valueCompression}): the view keeps each
 * value as {@link Compressor#compress} made it and gives it back through {@link Compressor#decompress}
 * to every reader (gets, listeners' old values, indexes, heals, snapshots). Digests and checksums stay
 * those of the bytes as read. The {@code statecast-compact} module implements it with zstd.
 *
 * <p>The view stores its first {@link #trainingValues()} values as they are, then trains a compressor
 * from them ({@link #train}) and compresses them once, with every value after.
 */
public interface ValueCompression {

    /** How many values (as read, the first ones the view applies) {@link #train} is given. At least 1. */
    int trainingValues();

    /**
     * A compressor for values like {@code samples}. Called once, on the view's poll thread.
     *
     * @throws io.statecast.common.StatecastException when no compressor can be made from them (the view
     *     then keeps its values as they are)
     */
    Compressor train(List<byte[]> samples);

    /**
     * Whether the view gives {@link #train} and {@link Compressor#compress} each value's key and value
     * together ({@code key ‖ value}, the key's UTF-8 bytes first), and expects that back from
     * {@link Compressor#decompress}: where a value repeats its key (a pod's namespace and name), the key
     * then costs a few bytes instead of all of them. False (the default): values alone.
     */
    default boolean takesKeys() {
        return false;
    }

    /** Compresses values and reads them back; the view owns the arrays it is given. */
    interface Compressor extends AutoCloseable {
        /** The stored form of {@code value}; called by the view's one writer thread. */
        byte[] compress(byte[] value);

        /**
         * The value that {@link #compress} turned into {@code stored[from, from + length)}; called from any
         * number of threads at once.
         *
         * @throws io.statecast.common.StatecastException when those bytes are not such a value
         */
        byte[] decompress(byte[] stored, int from, int length);

        /**
         * Frees what the compressor holds (native memory, for zstd): called once, when the view closes,
         * after its poll thread stopped. A {@link #decompress} racing it may fail; the closed view refuses
         * reads anyway. Must not throw.
         */
        @Override
        default void close() {}
    }
}
