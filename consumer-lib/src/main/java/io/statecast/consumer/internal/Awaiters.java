package io.statecast.consumer.internal;

import io.statecast.common.PartitionNotReadException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntToLongFunction;

/**
 * Read-your-writes waits: futures completed once a partition has seen a given {@code changes} offset.
 * Once the view failed or closed, every wait fails with why, those added later at once. A wait the caller
 * gave up (cancelled, or timed out by {@code orTimeout}) is dropped at the next check: nothing piles up.
 */
final class Awaiters {
    private record Wait(int partition, long srcOffset, CompletableFuture<Void> future) {}

    private final List<Wait> waits = new ArrayList<>();
    private final String topic;
    private Throwable ended;

    /** @param topic the state topic, for the error of a wait on a partition the view does not read */
    Awaiters(String topic) {
        this.topic = topic;
    }

    synchronized CompletableFuture<Void> add(int partition, long srcOffset) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (ended != null) {
            f.completeExceptionally(ended);
        } else {
            waits.add(new Wait(partition, srcOffset, f));
        }
        return f;
    }

    /**
     * Completes the waits that {@code seen(partition)} now covers, fails those of partitions the view has
     * no table of ({@code seen} is {@link Long#MIN_VALUE}; called only once the view's tables exist), and
     * forgets those done otherwise (timed out or cancelled by the caller).
     */
    synchronized void check(IntToLongFunction seen) {
        for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
            Wait w = it.next();
            CompletableFuture<Void> f = w.future();
            long s = f.isDone() ? 0 : seen.applyAsLong(w.partition());
            if (s == Long.MIN_VALUE) {
                f.completeExceptionally(
                        new PartitionNotReadException(topic, w.partition(), "only the partitions the topic has"));
            } else if (s >= w.srcOffset()) {
                f.complete(null);
            }
            if (f.isDone()) {
                it.remove();
            }
        }
    }

    /** Waits not yet completed (the test seams). */
    synchronized int pending() {
        return waits.size();
    }

    /** The view failed or closed: every wait fails with {@code cause}, and every later one at once. */
    synchronized void failAll(Throwable cause) {
        ended = cause;
        waits.forEach(w -> w.future().completeExceptionally(cause));
        waits.clear();
    }
}
