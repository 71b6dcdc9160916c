package io.statecast.consumer.internal;

import java.time.Duration;

/** A periodic task's schedule on a monotonic clock (nanoseconds). */
final class Every {
    private final long intervalNanos;
    private long next;

    /** @param firstNanos when the task is first due */
    Every(Duration interval, long firstNanos) {
        this.intervalNanos = interval.toNanos();
        this.next = firstNanos;
    }

    /** Whether the task is due at {@code nowNanos}; if so, the next time is one interval from now. */
    boolean due(long nowNanos) {
        if (nowNanos - next < 0) {
            return false;
        }
        next = nowNanos + intervalNanos;
        return true;
    }
}
