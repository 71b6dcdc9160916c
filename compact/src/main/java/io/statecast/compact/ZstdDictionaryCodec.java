package io.statecast.compact;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdDictTrainer;
import com.github.luben.zstd.ZstdException;
import java.util.Arrays;

/**
 * Compresses small values one by one with zstd and a dictionary trained from a sample of them: values
 * of one schema share field names, enum symbols, label keys and common strings, which a dictionary holds
 * once instead of in every value.
 *
 * <p>A compressed value is {@code varint(raw length) ‖ zstd frame} where the frame is magicless and carries
 * neither a dictionary id, a content size nor a checksum (5 bytes of framing instead of about 13): the
 * codec that compressed a value is the only one that can read it back. {@link #compress} is for one
 * writer thread at a time; {@link #decompress} may be called from any number of threads.
 *
 * <pre>{@code
 * ZstdDictionaryCodec codec = ZstdDictionaryCodec.train(sampleValues, 16 * 1024, 3);
 * byte[] small = codec.compress(value);
 * byte[] again = codec.decompress(small);   // equals value
 * }</pre>
 */
public final class ZstdDictionaryCodec implements AutoCloseable {
    /** The largest value read back: a garbled length prefix must not allocate gigabytes (Kafka's records are smaller). */
    public static final int MAX_VALUE_BYTES = 64 << 20;

    private final byte[] dictionary;
    private final ZstdDictDecompress decompressDict;
    private final ZstdCompressCtx compressor;
    private final ThreadLocal<ZstdDecompressCtx> decompressors;

    private ZstdDictionaryCodec(byte[] dictionary, int level) {
        this.dictionary = dictionary;
        this.decompressDict = new ZstdDictDecompress(dictionary);
        this.compressor = new ZstdCompressCtx()
                .setLevel(level)
                .setMagicless(true)
                .setDictID(false)
                .setContentSize(false)
                .setChecksum(false)
                .loadDict(new ZstdDictCompress(dictionary, level));
        this.decompressors = ThreadLocal.withInitial(
                () -> new ZstdDecompressCtx().setMagicless(true).loadDict(decompressDict));
    }

    /**
     * Trains a dictionary of at most {@code dictionaryBytes} from {@code samples} and returns a codec using it
     * at zstd level {@code level}.
     *
     * @throws CompactionException when zstd cannot train a dictionary from these samples (too few or too small)
     */
    public static ZstdDictionaryCodec train(Iterable<byte[]> samples, int dictionaryBytes, int level) {
        long total = 0;
        for (byte[] s : samples) {
            total += s.length;
        }
        ZstdDictTrainer trainer = new ZstdDictTrainer((int) Math.min(Integer.MAX_VALUE - 8, total), dictionaryBytes);
        samples.forEach(trainer::addSample);
        try {
            return new ZstdDictionaryCodec(trainer.trainSamples(), level);
        } catch (ZstdException e) {
            throw new CompactionException("cannot train a zstd dictionary from " + total + " sample bytes: "
                    + e.getMessage() + " (give more or larger samples)");
        }
    }

    /** A codec over a dictionary trained before ({@link #dictionary()}), e.g. read back from a snapshot. */
    public static ZstdDictionaryCodec of(byte[] dictionary, int level) {
        return new ZstdDictionaryCodec(dictionary.clone(), level);
    }

    /** The trained dictionary, to store beside the values it compressed. */
    public byte[] dictionary() {
        return dictionary.clone();
    }

    /** The compressed form of {@code raw}. One writer thread at a time. */
    public synchronized byte[] compress(byte[] raw) {
        int head = varintSize(raw.length);
        byte[] out = new byte[head + (int) Zstd.compressBound(raw.length)];
        putVarint(out, raw.length);
        int n = compressor.compressByteArray(out, head, out.length - head, raw, 0, raw.length);
        return Arrays.copyOf(out, head + n);
    }

    /**
     * The value that {@link #compress} turned into {@code stored}.
     *
     * @throws CompactionException when {@code stored} is not a value this codec compressed
     */
    public byte[] decompress(byte[] stored) {
        return decompress(stored, 0, stored.length);
    }

    /**
     * The value that {@link #compress} turned into {@code stored[from, from + size)} (e.g. a value kept after
     * its key in one array).
     *
     * @throws CompactionException when those bytes are not a value this codec compressed
     */
    public byte[] decompress(byte[] stored, int from, int size) {
        int end = from + size;
        int length = 0;
        int at = from;
        for (int shift = 0; ; shift += 7) {
            if (at >= end || shift > 28) {
                throw new CompactionException("not a compressed value: bad length prefix");
            }
            byte b = stored[at++];
            length |= (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (length < 0 || length > MAX_VALUE_BYTES) {
            throw new CompactionException("not a compressed value: a length of " + length + " bytes");
        }
        byte[] raw = new byte[length];
        try {
            int n = decompressors.get().decompressByteArray(raw, 0, length, stored, at, end - at);
            if (n != length) {
                throw new CompactionException("not a compressed value: " + n + " bytes instead of " + length);
            }
        } catch (ZstdException e) {
            throw new CompactionException("not a compressed value of this dictionary: " + e.getMessage());
        }
        return raw;
    }

    /** Frees the native contexts of the writer; readers' contexts go with their threads. */
    @Override
    public synchronized void close() {
        compressor.close();
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static void putVarint(byte[] out, int v) {
        int at = 0;
        while ((v & ~0x7f) != 0) {
            out[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[at] = (byte) v;
    }
}
