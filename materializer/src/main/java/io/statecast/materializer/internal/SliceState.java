package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.EntryHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What one task (one source partition) remembers of one slice, in memory and, row by row, in the
 * changelogged {@code slices} store, so that it survives restarts and moves with the task:
 *
 * <ul>
 *   <li>{@code 'D' name 0x00 value} → the digest (count, two lanes) of the entries of that slice value
 *       this partition put in the slice; rows of count 0 are deleted;
 *   <li>{@code 'Q' name 0x00 int32 q} → the srcOffset of the last slice record this partition wrote to
 *       slice partition q, and the highest srcOffset a record or mark there covers;
 *   <li>{@code 'B' name} → whether the back-fill is done, and the last table key it projected.
 * </ul>
 */
final class SliceState {
    final ActiveSlice slice;
    /** Slice digests are of the newest version: slices came after version 1. */
    static final EntryHash SLICE_DIGEST = EntryHash.forVersion(Digest.VERSION);

    final Map<String, Digest> digests = new HashMap<>();
    final long[] lastRecordSrc;
    final long[] covered;
    boolean backfilled;
    /** Last table key the back-fill projected; null before the first. */
    byte[] cursor;

    private final KeyValueStore<Bytes, byte[]> store;

    private SliceState(ActiveSlice slice, KeyValueStore<Bytes, byte[]> store) {
        this.slice = slice;
        this.store = store;
        this.lastRecordSrc = new long[slice.partitions()];
        this.covered = new long[slice.partitions()];
        Arrays.fill(lastRecordSrc, -1);
        Arrays.fill(covered, -1);
    }

    /** Loads the slice's rows; a slice never seen starts with its back-fill. */
    static SliceState load(ActiveSlice slice, KeyValueStore<Bytes, byte[]> store) {
        SliceState s = new SliceState(slice, store);
        try (KeyValueIterator<Bytes, byte[]> it = scan(store, s.prefix('D'))) {
            it.forEachRemaining(
                    kv -> s.digests.put(s.suffix(kv.key.get()), Digest.of(SLICE_DIGEST, decodeDigest(kv.value))));
        }
        try (KeyValueIterator<Bytes, byte[]> it = scan(store, s.prefix('Q'))) {
            it.forEachRemaining(kv -> {
                int q = ByteBuffer.wrap(kv.key.get(), kv.key.get().length - 4, 4)
                        .getInt();
                ByteBuffer v = ByteBuffer.wrap(kv.value);
                if (q < s.lastRecordSrc.length) {
                    s.lastRecordSrc[q] = v.getLong();
                    s.covered[q] = v.getLong();
                }
            });
        }
        byte[] b = store.get(Bytes.wrap(s.prefix('B')));
        if (b != null) {
            s.backfilled = b[0] == 1;
            s.cursor = b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : null;
        }
        return s;
    }

    /** Adds (or with {@code sign} -1 removes) an entry of {@code value} to its digest, and stores the row. */
    void count(String value, byte[] key, byte[] stateValue, int sign) {
        Digest d = digests.computeIfAbsent(value, v -> new Digest(SLICE_DIGEST));
        if (sign > 0) {
            d.add(key, stateValue);
        } else {
            d.remove(key, stateValue);
        }
        Bytes row = Bytes.wrap(withSuffix('D', value.getBytes(StandardCharsets.UTF_8)));
        if (d.count() == 0) {
            digests.remove(value);
            store.delete(row);
        } else {
            store.put(row, encodeDigest(d.value()));
        }
    }

    /** Notes a slice record (or tombstone) with this srcOffset written to slice partition q. */
    void wrote(int q, long srcOffset) {
        lastRecordSrc[q] = srcOffset;
        covered[q] = Math.max(covered[q], srcOffset);
        storeQ(q);
    }

    /** Notes a mark covering slice partition q up to srcOffset. */
    void marked(int q, long srcOffset) {
        covered[q] = Math.max(covered[q], srcOffset);
        storeQ(q);
    }

    /** Whether live changes of this key are projected: always once back-filled, else only up to the cursor. */
    boolean covers(byte[] key) {
        return backfilled || (cursor != null && Bytes.BYTES_LEXICO_COMPARATOR.compare(key, cursor) <= 0);
    }

    void backfillReached(byte[] key, boolean done) {
        cursor = key;
        backfilled = done;
        int n = key == null ? 0 : key.length;
        ByteBuffer b = ByteBuffer.allocate(1 + n).put((byte) (done ? 1 : 0));
        if (key != null) {
            b.put(key);
        }
        store.put(Bytes.wrap(prefix('B')), b.array());
    }

    private void storeQ(int q) {
        byte[] key = withSuffix('Q', ByteBuffer.allocate(4).putInt(q).array());
        store.put(
                Bytes.wrap(key),
                ByteBuffer.allocate(16)
                        .putLong(lastRecordSrc[q])
                        .putLong(covered[q])
                        .array());
    }

    private byte[] prefix(char kind) {
        byte[] name = slice.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + name.length + (kind == 'B' ? 0 : 1))
                .put((byte) kind)
                .put(name);
        return b.array(); // a trailing 0x00 separates the name from what follows (names have no 0x00)
    }

    private byte[] withSuffix(char kind, byte[] suffix) {
        byte[] p = prefix(kind);
        byte[] out = Arrays.copyOf(p, p.length + suffix.length);
        System.arraycopy(suffix, 0, out, p.length, suffix.length);
        return out;
    }

    private String suffix(byte[] key) {
        int start = prefix('D').length;
        return new String(key, start, key.length - start, StandardCharsets.UTF_8);
    }

    private static KeyValueIterator<Bytes, byte[]> scan(KeyValueStore<Bytes, byte[]> store, byte[] prefix) {
        return store.prefixScan(Bytes.wrap(prefix), (topic, b) -> b.get());
    }

    static byte[] encodeDigest(DigestValue v) {
        return ByteBuffer.allocate(24)
                .putLong(v.count())
                .putLong(v.lane0())
                .putLong(v.lane1())
                .array();
    }

    static DigestValue decodeDigest(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new DigestValue(buf.getLong(), buf.getLong(), buf.getLong());
    }
}
