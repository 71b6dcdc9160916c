package io.statecast.devtools.demo;

import io.statecast.consumer.StateView;
import io.statecast.schemas.demo.Pod;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node agent of the demo: a view of its node's pods (a slice view or a filtered whole-table view), when it
 * started and became ready, and the bytes it had fetched by then.
 */
final class Agent implements AutoCloseable {
    final String node;
    final Wave wave;
    final StateView<Pod> view;
    final long startNanos;
    final AtomicLong deltas;
    private volatile long readyNanos;
    private volatile long bytesToReady;

    Agent(String node, Wave wave, StateView<Pod> view, AtomicLong deltas) {
        this.node = node;
        this.wave = wave;
        this.view = view;
        this.deltas = deltas;
        this.startNanos = System.nanoTime();
        view.start();
        view.ready().thenRun(() -> {
            bytesToReady = view.stats().bytesFetched();
            readyNanos = System.nanoTime();
        });
    }

    boolean ready() {
        return readyNanos != 0;
    }

    boolean sliced() {
        return wave.sliced();
    }

    double bootstrapSeconds() {
        return ready() ? (readyNanos - startNanos) / 1e9 : Double.NaN;
    }

    /** Bytes fetched from the brokers until ready (its bootstrap), 0 before. */
    long bytesToReady() {
        return bytesToReady;
    }

    /** Seconds since it became ready, 0 before. */
    double secondsReady(long nowNanos) {
        return ready() ? (nowNanos - readyNanos) / 1e9 : 0;
    }

    @Override
    public void close() {
        view.close();
    }
}
