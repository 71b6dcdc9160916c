package io.statecast.common;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header names on {@code <ns>.state} and slice records, tombstones included, and on checksums and
 * progress marks. Values are ASCII decimal so that any client (kcat {@code %h}, a console consumer) can read them.
 */
public final class StatecastHeaders {
    /** Per-key version assigned by the materializer: 1 on create, +1 per accepted change. */
    public static final String VERSION = "sc.version";
    /** Offset in {@code <ns>.changes} of the change this record applies. */
    public static final String SRC_OFFSET = "sc.srcOffset";
    /** Id of the producer that wrote the change (on state records and rejections). */
    public static final String PRODUCER_ID = "sc.producerId";
    /**
     * On checksums and progress marks: the {@code sc.srcOffset} of the last state record (or tombstone)
     * of the partition before the mark, -1 when there is none. A reader has seen everything the mark
     * covers once it has read that record, whatever order the transaction's commit markers reached
     * the partitions in. Absent when the materializer does not know it (a store from before this header).
     */
    public static final String STATE_SRC_OFFSET = "sc.stateSrcOffset";
    /**
     * On checksums and progress marks: the partition count of {@code <ns>.changes} and {@code <ns>.state} the
     * materializer runs with. A namespace's partition count never changes (keys would move): a reader that
     * finds another count than the state topic's fails instead of reading on.
     */
    public static final String PARTITIONS = "sc.partitions";
    /**
     * On checksums and progress marks, once above 0: the partition's version floor, the highest version of a
     * deleted key whose row the materializer purged. A key it does not hold is created with floor + 1.
     */
    public static final String VERSION_FLOOR = "sc.versionFloor";
    /**
     * On state records (tombstones included) of captured changes: {@code SourcePosition.position}, the commit
     * position in the source database's log (PostgreSQL: the transaction's commit LSN as a 64-bit integer).
     */
    public static final String SOURCE_POSITION = "sc.sourcePosition";
    /** With {@link #SOURCE_POSITION}: {@code SourcePosition.sequence}, the change's order in its transaction. */
    public static final String SOURCE_SEQUENCE = "sc.sourceSequence";
    /** With {@link #SOURCE_POSITION}, when the source has one: the source's transaction id. */
    public static final String SOURCE_TX_ID = "sc.sourceTxId";

    /** On slice records and tombstones: the {@code <ns>.changes} (and {@code <ns>.state}) partition of the change. */
    public static final String SRC_PARTITION = "sc.srcPartition";
    /** On slice records: the slice value (UTF-8 text); on a slice tombstone, the value the entity left. */
    public static final String SLICE = "sc.slice";
    /**
     * On slice checksums and progress marks: the {@code sc.srcOffset} of the last slice record (or
     * tombstone) that the mark's source partition wrote into the mark's slice partition, -1 when none.
     */
    public static final String SLICE_SRC_OFFSET = "sc.sliceSrcOffset";

    private StatecastHeaders() {}

    public static byte[] encodeLong(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** The header's value as a long, or {@code missing} when the header is absent or not a number. */
    public static long readLong(Headers headers, String name, long missing) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return missing;
        }
        return parse(h.value(), missing);
    }

    /** The header's value as UTF-8 text, or null when the header is absent. */
    public static String readString(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long parse(byte[] ascii, long missing) {
        if (ascii.length == 0 || ascii.length > 20) {
            return missing;
        }
        long v = 0;
        int i = 0;
        boolean negative = ascii[0] == '-';
        if (negative) {
            i = 1;
        }
        for (; i < ascii.length; i++) {
            int d = ascii[i] - '0';
            if (d < 0 || d > 9) {
                return missing;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
