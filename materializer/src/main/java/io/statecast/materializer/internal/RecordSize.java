package io.statecast.materializer.internal;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The size a record takes on the wire, computed before it is forwarded: Kafka's own upper bound of a
 * batch holding this one record (record format v2, uncompressed), the figure the producer compares with
 * {@code max.request.size}; the broker compares the actual batch, never larger, with the topic's
 * {@code max.message.bytes}. Kafka's classes for it are internal, so the format (KIP-98) is written out.
 */
final class RecordSize {
    /** Batch header of format v2 (base offset, length, epoch, magic, CRC, attributes, ...). */
    static final int BATCH_OVERHEAD = 61;
    /** Record length, attributes, timestamp delta and offset delta at their largest varint sizes. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5;

    private RecordSize() {}

    /** The upper bound of a batch holding only this record; {@code value} null is a tombstone. */
    static int of(byte[] key, byte[] value, Headers headers) {
        int size = BATCH_OVERHEAD + RECORD_OVERHEAD + bytes(key == null ? -1 : key.length);
        size += bytes(value == null ? -1 : value.length);
        Header[] all = headers == null ? new Header[0] : headers.toArray();
        size += varint(all.length);
        for (Header h : all) {
            size += bytes(h.key().getBytes(StandardCharsets.UTF_8).length);
            size += bytes(h.value() == null ? -1 : h.value().length);
        }
        return size;
    }

    // A length-prefixed field: the zig-zag varint of its length, then its bytes (-1: null, no bytes).
    private static int bytes(int length) {
        return varint(length) + Math.max(0, length);
    }

    /** Bytes of a zig-zag varint, as Kafka writes record lengths and deltas. */
    static int varint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int n = 1;
        while ((v & 0xffffff80) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
