package io.statecast.cli.commands;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command until Ctrl-C or SIGTERM, then lets it finish in order: the signal wakes {@link #await()},
 * the command closes what it opened and prints its last lines, and the JVM exits 0 once {@link #close()}
 * ran (a clean stop is a success, not 143), or after 10 s whatever the command is doing.
 */
final class UntilStopped implements AutoCloseable {
    private static final long GRACE_SECONDS = 10;

    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private UntilStopped(String threadName) {
        this.hook = new Thread(this::onSignal, threadName);
    }

    /** Registers the shutdown hook; {@link #close()} removes it when the command ends on its own. */
    static UntilStopped onSignal(String threadName) {
        UntilStopped s = new UntilStopped(threadName);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Blocks until Ctrl-C or SIGTERM. */
    void await() throws InterruptedException {
        signalled.await();
    }

    /** True once Ctrl-C or SIGTERM came. */
    boolean stopped() {
        return signalled.getCount() == 0;
    }

    private void onSignal() {
        signalled.countDown();
        try {
            if (finished.await(GRACE_SECONDS, TimeUnit.SECONDS)) {
                Runtime.getRuntime().halt(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs and exits
        }
    }
}
