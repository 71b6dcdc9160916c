package io.statecast.consumer.internal;

import io.statecast.consumer.Change;
import io.statecast.consumer.ResetEvent;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.ViewStatus;
import java.util.List;

/**
 * What others hear of the view's changes: the secondary indexes (updated under the view's write lock)
 * and the listeners, each on its own thread behind its own queue (offered, never blocked on).
 */
final class Events<V> implements AutoCloseable {
    private final Indexes<V> indexes;
    private final List<ListenerRunner<V>> listeners;

    Events(Indexes<V> indexes, List<ListenerRunner<V>> listeners) {
        this.indexes = indexes;
        this.listeners = List.copyOf(listeners);
    }

    /** An entry changed: indexes follow, listeners are told. */
    void changed(Change<V> c) {
        indexes.update(c.key(), c.oldValue(), c.newValue());
        for (ListenerRunner<V> l : listeners) {
            l.offer(c);
        }
    }

    /** An entry is dropped without an event (its partition is read again): only the indexes forget it. */
    void forgotten(String key, V oldValue) {
        indexes.update(key, oldValue, null);
    }

    /** The topic was recreated: nothing indexed still holds. */
    void clearIndexes() {
        indexes.clear();
    }

    void ready(ViewStatus status) {
        listeners.forEach(l -> l.offer(status));
    }

    void reset(ResetEvent event) {
        listeners.forEach(l -> l.offer(event));
    }

    /** The partitions of an earlier reset are whole again ({@code ViewListener.onWhole}). */
    void whole(ResetEvent event) {
        listeners.forEach(l -> l.offer(new WholeAgain(event)));
    }

    List<ViewStats.ListenerStats> stats() {
        return listeners.stream().map(ListenerRunner::stats).toList();
    }

    @Override
    public void close() {
        listeners.forEach(ListenerRunner::close);
    }
}
