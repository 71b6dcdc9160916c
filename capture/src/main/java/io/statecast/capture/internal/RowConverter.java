package io.statecast.capture.internal;

import io.statecast.schemas.SourcePosition;
import java.util.List;

/** Turns one Debezium row change into the changes it makes (none, one, or a delete and an upsert). */
public interface RowConverter {
    /** The changes of {@code row}, each at {@code source}. */
    List<CapturedChange> convert(DebeziumRecord row, SourcePosition source);
}
