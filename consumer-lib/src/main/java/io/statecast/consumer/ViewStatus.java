package io.statecast.consumer;

import java.time.Instant;
import java.util.List;

/**
 * Where the view is: its state, per-partition progress, since when it is stale (null when not), and
 * the cause when it failed.
 */
public record ViewStatus(State state, List<PartitionProgress> partitions, Instant staleSince, Throwable cause) {
    /** The lifecycle of a view. */
    public enum State { CREATED, BOOTSTRAPPING, READY, STALE, FAILED, CLOSED }

    /** True once bootstrapped (a stale view is ready but out of date). */
    public boolean isReady() {
        return state == State.READY || state == State.STALE;
    }
}
