package io.statecast.testkit.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a Kafka client's future in test code, where its failure should surface as it is. */
public final class Futures {
    private Futures() {}

    /** Waits for {@code future}, unwrapping its failure. */
    public static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
