package io.statecast.devtools.demo;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes one group of the demo's parts side by side (each close is bounded) and logs when the group stopped. */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    private static final int THREADS = 16;

    private Shutdown() {}

    /** Closes every part of {@code group}, up to 16 at a time; a failing close is logged and the others go on. */
    static void closeAll(String group, List<? extends AutoCloseable> parts) {
        if (parts.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, parts.size()), r -> {
            Thread t = new Thread(r, "statecast-demo-stop-" + group + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> closing = parts.stream()
                    .map(p -> pool.submit(() -> closeQuietly(group, p)))
                    .<Future<?>>map(f -> f)
                    .toList();
            for (Future<?> f : closing) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("Stopping the {} failed", group, e.getCause());
        } finally {
            pool.shutdownNow();
        }
        log.info("Stopped the {} ({}) in {} ms", group, parts.size(), (System.nanoTime() - start) / 1_000_000);
    }

    private static void closeQuietly(String group, AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.warn("Closing one of the {} failed; the others go on", group, e);
        }
    }
}
