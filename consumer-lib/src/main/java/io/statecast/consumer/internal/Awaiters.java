package io.statecast.consumer.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Read-your-writes waits: futures completed once a partition has seen a given {@code changes} offset.
 * Once the view failed or closed, every wait fails with why, those added later at once.
 */
final class Awaiters {
    private record Wait(int partition, long srcOffset, CompletableFuture<Void> future) {}

    private final List<Wait> waits = new ArrayList<>();
    private Throwable ended;

    synchronized CompletableFuture<Void> add(int partition, long srcOffset) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (ended != null) {
            f.completeExceptionally(ended);
        } else {
            waits.add(new Wait(partition, srcOffset, f));
        }
        return f;
    }

    /** Completes the waits that {@code seen(partition)} now covers. */
    synchronized void check(java.util.function.IntToLongFunction seen) {
        for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
            Wait w = it.next();
            if (w.future().isDone()) {
                it.remove();
            } else if (seen.applyAsLong(w.partition()) >= w.srcOffset()) {
                w.future().complete(null);
                it.remove();
            }
        }
    }

    /** The view failed or closed: every wait fails with {@code cause}, and every later one at once. */
    synchronized void failAll(Throwable cause) {
        ended = cause;
        waits.forEach(w -> w.future().completeExceptionally(cause));
        waits.clear();
    }
}
