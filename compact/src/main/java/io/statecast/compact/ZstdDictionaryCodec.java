package io.statecast.compact;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdDictTrainer;
import com.github.luben.zstd.ZstdException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * Compresses small values one by one with zstd and a dictionary trained from a sample of them: values
 * of one schema share field names, enum symbols, label keys and common strings, which a dictionary holds
 * once instead of in every value.
 *
 * <p>A compressed value is one zstd frame, magicless and without a dictionary id or a checksum; it carries
 * the value's size in a single-segment header (1 byte below 256 bytes, 2 below 64 KB, and no window
 * byte): 4 to 5 bytes of framing instead of about 13, and 1 to 2 fewer than a varint length before a
 * frame without its size. The codec that compressed a value is the only one that can read it back. {@link #compress} is for one
 * writer thread at a time; {@link #decompress} may be called from any number of threads.
 *
 * <p>zstd's contexts and dictionaries live in native memory that nothing frees but {@link #close}: no
 * finalizer or cleaner does. Readers therefore borrow decompression contexts from a pool that close can
 * empty (one per thread, the former design, left a context per reader thread behind for good), and close
 * waits for the reads in flight before it frees anything.
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

    /** Idle decompression contexts kept for the next reads; more are made when readers outnumber them. */
    private static final int IDLE_CONTEXTS =
            Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

    private final byte[] dictionary;
    private final ZstdDictDecompress decompressDict;
    private final ZstdDictCompress compressDict;
    private final ZstdCompressCtx compressor;
    /** Read-locked by every decompression; write-locked for good by {@link #close}. */
    private final StampedLock open = new StampedLock();

    private final ArrayDeque<ZstdDecompressCtx> idle = new ArrayDeque<>(); // guarded by itself
    private boolean closed; // guarded by this

    private ZstdDictionaryCodec(byte[] dictionary, int level) {
        this.dictionary = dictionary;
        this.decompressDict = new ZstdDictDecompress(dictionary);
        this.compressDict = new ZstdDictCompress(dictionary, level);
        this.compressor = new ZstdCompressCtx()
                .setLevel(level)
                .setMagicless(true)
                .setDictID(false)
                .setContentSize(true)
                .setChecksum(false)
                .loadDict(compressDict);
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

    /**
     * The compressed form of {@code raw}. One writer thread at a time.
     *
     * @throws CompactionException when the codec was closed
     */
    public synchronized byte[] compress(byte[] raw) {
        if (closed) {
            throw new CompactionException("the codec is closed");
        }
        byte[] out = new byte[(int) Zstd.compressBound(raw.length)];
        int n = compressor.compressByteArray(out, 0, out.length, raw, 0, raw.length);
        return Arrays.copyOf(out, n);
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
        long length = contentSize(stored, from, end);
        if (length < 0 || length > MAX_VALUE_BYTES) {
            throw new CompactionException("not a compressed value: a length of " + length + " bytes");
        }
        byte[] raw = new byte[(int) length];
        long stamp = open.tryReadLock();
        if (stamp == 0) {
            throw new CompactionException("the codec is closed");
        }
        ZstdDecompressCtx ctx = borrow();
        try {
            int n = ctx.decompressByteArray(raw, 0, raw.length, stored, from, size);
            if (n != length) {
                throw new CompactionException("not a compressed value: " + n + " bytes instead of " + length);
            }
        } catch (ZstdException e) {
            throw new CompactionException("not a compressed value of this dictionary: " + e.getMessage());
        } finally {
            giveBack(ctx);
            open.unlockRead(stamp);
        }
        return raw;
    }

    /**
     * Frees every native context and dictionary, once the decompressions in flight have finished; later
     * calls of {@link #compress} and {@link #decompress} throw {@link CompactionException}. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        open.writeLock(); // never released: no read starts after this, none is left running
        synchronized (idle) {
            idle.forEach(ZstdDecompressCtx::close);
            idle.clear();
        }
        compressor.close();
        compressDict.close();
        decompressDict.close();
    }

    private ZstdDecompressCtx borrow() {
        synchronized (idle) {
            ZstdDecompressCtx ctx = idle.pollFirst();
            if (ctx != null) {
                return ctx;
            }
        }
        return new ZstdDecompressCtx().setMagicless(true).loadDict(decompressDict);
    }

    // Called under the read lock, so close() has not emptied the pool yet.
    private void giveBack(ZstdDecompressCtx ctx) {
        synchronized (idle) {
            if (idle.size() < IDLE_CONTEXTS) {
                idle.addFirst(ctx);
                return;
            }
        }
        ctx.close();
    }

    // The content size in a magicless frame header (RFC 8878, 3.1.1.1): the descriptor byte, a window
    // byte unless single-segment, no dictionary id (this codec writes none), then 0, 1, 2, 4 or 8 bytes.
    private static long contentSize(byte[] in, int from, int end) {
        if (from >= end) {
            throw new CompactionException("not a compressed value: empty");
        }
        int fhd = in[from] & 0xff;
        int fcsFlag = fhd >>> 6;
        boolean single = (fhd & 0x20) != 0;
        if ((fhd & 0x0b) != 0) { // a reserved bit or a dictionary id
            throw new CompactionException("not a compressed value of this codec: frame header " + fhd);
        }
        int fcsBytes = fcsFlag == 0 ? (single ? 1 : 0) : 1 << fcsFlag;
        int at = from + 1 + (single ? 0 : 1);
        if (fcsBytes == 0 || at + fcsBytes > end) {
            throw new CompactionException("not a compressed value: no content size in " + (end - from) + " bytes");
        }
        long v = 0;
        for (int i = 0; i < fcsBytes; i++) {
            v |= (in[at + i] & 0xffL) << (8 * i);
        }
        return fcsBytes == 2 ? v + 256 : v;
    }
}
