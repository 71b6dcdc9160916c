package io.statecast.testkit.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waits for a condition with a deadline instead of sleeping a fixed time (Kafka's waitForCondition). */
public final class Conditions {
    private static final long POLL_MILLIS = 100;

    private Conditions() {}

    /** Polls {@code condition} every 100 ms until it returns true; exceptions count as "not yet". */
    public static void waitFor(String description, Duration timeout, Callable<Boolean> condition) {
        waitFor(description, timeout, condition, Boolean.TRUE::equals);
    }

    /**
     * Polls {@code actual} every 100 ms until {@code expected} accepts its value; exceptions count as
     * "not yet". On timeout the error names what was expected and the last value (or error) seen.
     *
     * @return the accepted value
     */
    public static <T> T waitFor(String expected, Duration timeout, Callable<T> actual, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = "nothing yet";
        Throwable lastError = null;
        while (true) {
            try {
                T value = actual.call();
                if (done.test(value)) {
                    return value;
                }
                last = value;
                lastError = null;
            } catch (Exception e) {
                last = "error: " + e;
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(timeoutMessage(expected, timeout, last), lastError);
            }
            sleep(expected);
        }
    }

    /** The failure message of {@link #waitFor}: expected vs the last value seen. */
    static String timeoutMessage(String expected, Duration timeout, Object last) {
        return "Timed out after " + timeout + " waiting until " + expected + "; last seen: " + Objects.toString(last);
    }

    private static void sleep(String expected) {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting until " + expected, e);
        }
    }
}
