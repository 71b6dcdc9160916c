package io.statecast.consumer.internal;

import io.statecast.consumer.Change;
import io.statecast.consumer.OverflowPolicy;
import io.statecast.consumer.ResetEvent;
import io.statecast.consumer.ViewListener;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.ViewStatus;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's thread and bounded queue. The view only ever offers events (never blocks); a full
 * queue is handled by the listener's {@link OverflowPolicy}. A throwing listener is counted and
 * logged (rate-limited) and keeps receiving events.
 */
final class ListenerRunner<V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListenerRunner.class);

    private record Queued(Object event, long enqueuedNanos) {}

    private final String name;
    private final ViewListener<V> listener;
    private final OverflowPolicy policy;
    private final BlockingQueue<Queued> queue;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean resetOwed;

    ListenerRunner(String name, ViewListener<V> listener, int capacity, OverflowPolicy policy) {
        this.name = name;
        this.listener = listener;
        this.policy = policy;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    void offer(Object event) {
        if (resetOwed
                && queue.offer(
                        new Queued(new ResetEvent(Set.of(), ResetEvent.Reason.LISTENER_OVERFLOW), System.nanoTime()))) {
            resetOwed = false;
        }
        if (resetOwed || !queue.offer(new Queued(event, System.nanoTime()))) {
            overflow();
        }
    }

    private void overflow() {
        dropped.incrementAndGet();
        if (policy == OverflowPolicy.DROP_AND_RESET && !resetOwed) {
            dropped.addAndGet(queue.size());
            queue.clear();
            resetOwed = !queue.offer(
                    new Queued(new ResetEvent(Set.of(), ResetEvent.Reason.LISTENER_OVERFLOW), System.nanoTime()));
        }
    }

    @SuppressWarnings("unchecked")
    private void run() {
        while (running) {
            Queued q;
            try {
                q = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (q == null) {
                continue;
            }
            try {
                if (q.event() instanceof Change<?> c) {
                    listener.onChange((Change<V>) c);
                } else if (q.event() instanceof ViewStatus s) {
                    listener.onReady(s);
                } else if (q.event() instanceof ResetEvent r) {
                    listener.onReset(r);
                } else if (q.event() instanceof WholeAgain w) {
                    listener.onWhole(w.reset());
                }
            } catch (RuntimeException e) {
                if (failures.incrementAndGet() <= 5) {
                    log.warn("Listener {} threw; the view and the other listeners are unaffected", name, e);
                }
            }
        }
    }

    ViewStats.ListenerStats stats() {
        Queued head = queue.peek();
        Duration oldest = head == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - head.enqueuedNanos());
        return new ViewStats.ListenerStats(name, queue.size(), oldest, dropped.get(), failures.get());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
