package io.statecast.consumer.internal;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a view's snapshots, one at a time. A periodic save is written on a thread of its own from a
 * frozen picture of the tables, so that the poll thread goes on applying changes while the file is
 * hashed, written and forced to disk (which, for a large view, held the poll thread for seconds); a save
 * due while the last one is still being written is skipped. The last one, at close, is written on the
 * poll thread, after the one being written ends. Every save is counted in {@link ViewCounters#snapshot}.
 */
final class SnapshotSaver {
    private static final Logger log = LoggerFactory.getLogger(SnapshotSaver.class);

    private final WarmStart warmStart;
    private final String threadName;
    private final String logId;
    private final ViewCounters counters;
    private final LongSupplier nanos;
    private Thread writing; // the poll thread's only

    SnapshotSaver(WarmStart warmStart, String threadName, String logId, ViewCounters counters, LongSupplier nanos) {
        this.warmStart = warmStart;
        this.threadName = threadName;
        this.logId = logId;
        this.counters = counters;
        this.nanos = nanos;
    }

    /** Whether a save is still being written on its own thread. */
    boolean busy() {
        return writing != null && writing.isAlive();
    }

    /** Writes {@code frozen} on a new thread; the poll thread was held from {@code startNanos} to now. */
    void saveLater(SnapshotImage frozen, long startNanos) {
        long pause = nanos.getAsLong() - startNanos;
        Thread t = new Thread(() -> write(frozen, pause), threadName);
        t.setDaemon(true);
        writing = t;
        t.start();
    }

    /** Writes {@code live} here, once the save being written ended; the poll thread is held from {@code startNanos}. */
    void saveNow(SnapshotImage live, long startNanos) {
        awaitWriting();
        long t0 = nanos.getAsLong();
        boolean saved = saved(live);
        long end = nanos.getAsLong();
        counters.snapshot(saved, end - startNanos, end - t0);
    }

    /** Waits for the save being written, if any (at close; an interrupt stops the wait, not the save). */
    void awaitWriting() {
        Thread t = writing;
        if (t == null) {
            return;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(SnapshotImage frozen, long pause) {
        long t0 = nanos.getAsLong();
        boolean saved = saved(frozen);
        counters.snapshot(saved, pause, nanos.getAsLong() - t0);
    }

    private boolean saved(SnapshotImage image) {
        try {
            return warmStart.save(image);
        } catch (RuntimeException e) { // a save must never take the view down with it
            log.warn("{} cannot write the snapshot: {}", logId, e.toString());
            return false;
        }
    }
}
