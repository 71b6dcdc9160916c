package io.statecast.common;

import java.util.Objects;

/**
 * Where a producer's change landed in {@code <ns>.changes}. Because {@code changes} and {@code state}
 * are co-partitioned, a view has seen the effect of this change (accepted, rejected or a no-op) once it
 * has applied a state record or a progress mark of the same partition with {@code srcOffset >= offset}.
 */
public record Receipt(String topic, int partition, long offset, long timestamp) {
    public Receipt {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0 || offset < 0) {
            throw new StatecastException("Invalid receipt " + topic + "-" + partition + "@" + offset);
        }
    }
}
