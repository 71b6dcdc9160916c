package io.statecast.producer.internal;

import io.statecast.common.StatecastException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaFuture;

/** Waits for an admin request, turning Kafka's checked exceptions into {@link StatecastException}. */
public final class AdminCalls {
    private AdminCalls() {}

    public static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new StatecastException(
                    "Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted", e);
        }
    }
}
