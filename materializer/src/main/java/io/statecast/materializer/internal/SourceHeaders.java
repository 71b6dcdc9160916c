package io.statecast.materializer.internal;

import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.SourcePosition;
import org.apache.kafka.common.header.Headers;

/** The source-position headers of a state record that applies a captured change (docs/protocol.md). */
final class SourceHeaders {
    private SourceHeaders() {}

    static void add(Headers headers, SourcePosition source) {
        if (source == null) {
            return;
        }
        headers.add(StatecastHeaders.SOURCE_POSITION, StatecastHeaders.encodeLong(source.getPosition()));
        headers.add(StatecastHeaders.SOURCE_SEQUENCE, StatecastHeaders.encodeLong(source.getSequence()));
        if (source.getTxId() != null) {
            headers.add(StatecastHeaders.SOURCE_TX_ID, StatecastHeaders.encodeLong(source.getTxId()));
        }
    }
}
