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

    /**
     * Earlier events no longer describe the view (or, with partitions, those partitions); re-read it. While
     * the partitions of a reset are read again, reads of them wait or fail ({@link ReadPolicy}) and
     * {@code snapshot()} would not be whole: re-read it on {@link #onWhole}.
     */
    default void onReset(ResetEvent reset) {}

    /** The partitions of an earlier {@link #onReset} were read again to their end: the view is whole again. */
    default void onWhole(ResetEvent reset) {}
}
