package io.statecast.capture.internal;

import io.statecast.schemas.Op;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SourcePosition;
import org.apache.avro.generic.GenericRecord;

/**
 * One change to write to {@code <namespace>.changes}: an upsert with the row as an Avro record, or a delete; or,
 * when the row cannot become a change, a {@link Refusal} that is written to {@code <namespace>.rejections}.
 */
public record CapturedChange(
        String namespace, String key, Op op, GenericRecord value, SourcePosition source, Refusal refusal) {
    /** Why a row became a rejection instead of a change, with the row's text (kept in the rejection). */
    public record Refusal(RejectionReason reason, String message, String raw) {}

    /** An upsert of the row. */
    public static CapturedChange upsert(String ns, String key, GenericRecord value, SourcePosition source) {
        return new CapturedChange(ns, key, Op.UPSERT, value, source, null);
    }

    /** A delete of the key. */
    public static CapturedChange delete(String ns, String key, SourcePosition source) {
        return new CapturedChange(ns, key, Op.DELETE, null, source, null);
    }

    /** A row that cannot become a change. */
    public static CapturedChange refused(String ns, String key, SourcePosition source, Refusal refusal) {
        return new CapturedChange(ns, key, Op.UPSERT, null, source, refusal);
    }
}
