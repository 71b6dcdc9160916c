package io.statecast.consumer.internal;

import io.statecast.consumer.OverflowPolicy;
import io.statecast.consumer.ViewConfig;
import io.statecast.consumer.ViewListener;
import io.statecast.consumer.spi.ValueCompression;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Everything a view was built with (immutable): the keys of its {@link ViewConfig}, and what cannot be
 * a property — the rules applied to each value, the listeners, the clock and how values are kept
 * (compression null: as read).
 */
public record ViewSettings<V>(
        ViewConfig config,
        Rules<V> rules,
        List<NamedListener<V>> listeners,
        Clock clock,
        ValueCompression compression) {

    /** What the view does with each value: keep it (filter), rewrite it (transform), index it. Nulls: none. */
    public record Rules<V>(Predicate<V> filter, UnaryOperator<V> transform, Map<String, Function<V, ?>> indexes) {}

    /** A listener with its name, queue capacity and overflow policy. */
    public record NamedListener<V>(String name, ViewListener<V> listener, int capacity, OverflowPolicy policy) {}

    /** A listener of changes only, from a lambda. */
    public static <V> ViewListener<V> onChanges(java.util.function.Consumer<io.statecast.consumer.Change<V>> onChange) {
        return new ViewListener<V>() {
            @Override
            public void onChange(io.statecast.consumer.Change<V> change) {
                onChange.accept(change);
            }
        };
    }

    public boolean isNamespace() {
        return config.namespace() != null;
    }

    /** Whether checksums are compared: asked for, and a namespace view (a plain topic has none). */
    boolean verifying() {
        return config.verification() && isNamespace();
    }

    /** Whether applying a record needs the decoded value. */
    boolean needsDecode() {
        return rules.filter() != null
                || rules.transform() != null
                || !rules.indexes().isEmpty()
                || !listeners.isEmpty();
    }

    /** The start-up delay of this view, drawn in [0, startup.splay.ms); seeded draws are repeatable. */
    Duration drawSplay() {
        Duration max = config.startupSplay();
        if (max.isZero()) {
            return Duration.ZERO;
        }
        Long seed = config.startupSplaySeed();
        // Scramble the seed: java.util.Random's first draws of nearby seeds are nearly equal.
        Random random = seed == null ? new Random() : new Random(seed * 0x9E3779B97F4A7C15L ^ 0x5CA1AB1EL);
        return Duration.ofMillis((long) (random.nextDouble() * max.toMillis()));
    }
}
