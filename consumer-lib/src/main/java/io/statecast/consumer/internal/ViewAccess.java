package io.statecast.consumer.internal;

import java.util.function.Function;

/**
 * How internal code reaches the engine behind a view without {@code StateView} exposing it in its
 * public API (the JDK's "shared secrets" pattern): {@code StateView} grants the accessor once, when its
 * class initializes, which is before any view exists.
 */
public final class ViewAccess {
    private static volatile Function<Object, ViewEngine<?>> engines;

    private ViewAccess() {}

    /** Called once, by {@code StateView}'s static initializer. */
    public static void grant(Function<Object, ViewEngine<?>> accessor) {
        if (engines != null) {
            throw new IllegalStateException("already granted");
        }
        engines = accessor;
    }

    /** The engine of a {@code StateView} (for the test seams). */
    public static ViewEngine<?> engineOf(Object view) {
        return engines.apply(view);
    }
}
