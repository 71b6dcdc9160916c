package io.statecast.devtools.demo;

import io.statecast.consumer.StateView;
import io.statecast.schemas.demo.Pod;
import java.util.concurrent.atomic.AtomicLong;

/** A node agent of the demo: a view of its node's pods, and when it started and became ready. */
final class Agent implements AutoCloseable {
    final String node;
    final int wave;
    final String waveName;
    final StateView<Pod> view;
    final long startNanos;
    final AtomicLong deltas;
    volatile long readyNanos;

    Agent(String node, int wave, String waveName, StateView<Pod> view, AtomicLong deltas) {
        this.node = node;
        this.wave = wave;
        this.waveName = waveName;
        this.view = view;
        this.deltas = deltas;
        this.startNanos = System.nanoTime();
        view.start();
        view.ready().thenRun(() -> readyNanos = System.nanoTime());
    }

    boolean ready() {
        return readyNanos != 0;
    }

    double bootstrapSeconds() {
        return ready() ? (readyNanos - startNanos) / 1e9 : Double.NaN;
    }

    @Override
    public void close() {
        view.close();
    }
}
