package io.statecast.capture.internal;

import io.statecast.schemas.Op;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SourcePosition;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;

/**
 * One change to write to {@code <namespace>.changes}: an upsert with the row as an Avro record, or a delete; or,
 * when the row cannot become a change, a {@link Refusal} that is written to {@code <namespace>.rejections}.
 */
public record CapturedChange(
        String namespace, String key, Op op, GenericRecord value, SourcePosition source, Refusal refusal) {
    /**
     * Why an input became a rejection instead of a change, with its bytes (kept in the rejection) and, for a record
     * of a Debezium topic, where it was read.
     */
    public record Refusal(RejectionReason reason, String message, byte[] raw, Origin origin) {
        /** A row that cannot become a change, with its text (the row as JSON). */
        public Refusal(RejectionReason reason, String message, String rawText) {
            this(reason, message, rawText == null ? new byte[0] : rawText.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /** The topic, partition, offset and key bytes of a refused record read from a Debezium topic. */
    public record Origin(String topic, int partition, long offset, byte[] rawKey) {}

    /** An upsert of the row. */
    public static CapturedChange upsert(String ns, String key, GenericRecord value, SourcePosition source) {
        return new CapturedChange(ns, key, Op.UPSERT, value, source, null);
    }

    /** A delete of the key. */
    public static CapturedChange delete(String ns, String key, SourcePosition source) {
        return new CapturedChange(ns, key, Op.DELETE, null, source, null);
    }

    /** A row (or a record of a Debezium topic, then with a null key) that cannot become a change. */
    public static CapturedChange refused(String ns, String key, SourcePosition source, Refusal refusal) {
        return new CapturedChange(ns, key, Op.UPSERT, null, source, refusal);
    }
}
