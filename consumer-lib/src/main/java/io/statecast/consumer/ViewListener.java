package io.statecast.consumer;

/**
 * Receives the view's events on its own thread, in order. Each method takes one event record. A slow
 * or throwing listener never blocks the view or the other listeners (see {@link OverflowPolicy}).
 */
public interface ViewListener<V> {
    /** An upsert or a delete. */
    default void onChange(Change<V> change) {}

    /** The view finished its bootstrap. */
    default void onReady(ViewStatus status) {}

    /** Earlier events no longer describe the view; re-read it. */
    default void onReset(ResetEvent reset) {}
}
