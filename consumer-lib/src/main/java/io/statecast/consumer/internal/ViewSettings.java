package io.statecast.consumer.internal;

import io.statecast.consumer.OverflowPolicy;
import io.statecast.consumer.ReadPolicy;
import io.statecast.consumer.ViewListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Everything a view was built with (immutable). {@code namespace} null means a plain compacted topic. */
public record ViewSettings<V>(
        String namespace,
        String topic,
        Map<String, Object> kafka,
        Set<Integer> partitions,
        Predicate<V> filter,
        UnaryOperator<V> transform,
        Map<String, Function<V, ?>> indexes,
        List<NamedListener<V>> listeners,
        ReadPolicy readPolicy,
        Duration readTimeout,
        Clock clock,
        Duration healthCheckInterval,
        Duration topicCheckInterval,
        Duration splay,
        java.util.Random random,
        boolean verify,
        int historyCapacity,
        java.nio.file.Path snapshotDir,
        Duration snapshotInterval) {

    /** A listener with its name, queue capacity and overflow policy. */
    public record NamedListener<V>(String name, ViewListener<V> listener, int capacity, OverflowPolicy policy) {}

    public boolean isNamespace() {
        return namespace != null;
    }

    /** Whether applying a record needs the decoded value. */
    boolean needsDecode() {
        return filter != null || transform != null || !indexes.isEmpty() || !listeners.isEmpty();
    }
}
