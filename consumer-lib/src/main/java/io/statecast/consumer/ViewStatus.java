package io.statecast.consumer;

import java.time.Instant;
import java.util.List;

/**
 * Where the view is: its state, per-partition progress, since when it is stale (null when not), the
 * cause when it failed, and alarms (a partition that mismatched its checksum again right after healing).
 */
public record ViewStatus(
        State state, List<PartitionProgress> partitions, Instant staleSince, Throwable cause, List<String> alarms) {
    /** The lifecycle of a view. */
    public enum State {
        CREATED,
        BOOTSTRAPPING,
        READY,
        STALE,
        FAILED,
        CLOSED
    }

    /** True once bootstrapped (a stale view is ready but out of date). */
    public boolean isReady() {
        return state == State.READY || state == State.STALE;
    }
}
