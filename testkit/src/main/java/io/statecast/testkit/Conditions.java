package io.statecast.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waiting in tests: poll a condition until it holds or a deadline passes, instead of a fixed sleep or
 * a hand-written loop (Kafka's {@code TestUtils.waitForCondition}). On timeout the {@link
 * AssertionError} says what was expected and the last value (or error) seen; an exception thrown by
 * the polled code counts as "not yet" and becomes the error's cause if it was the last thing seen.
 *
 * <pre>{@code
 * Conditions.waitFor("the view is ready", Duration.ofSeconds(30), view::isReady);
 * List<ConsumerRecord<byte[], byte[]>> state = Conditions.waitFor(
 *         "3 records in " + ns + ".state", Duration.ofSeconds(60),
 *         () -> kafka.readToEnd(ns + ".state"), records -> records.size() == 3);
 * Conditions.waitForEquals("the view's size", Duration.ofSeconds(30), 3, view::size);
 * }</pre>
 *
 * <p>The condition is polled every {@link #POLL_INTERVAL}, from the calling thread.
 */
public final class Conditions {
    /** How often a condition is polled. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private Conditions() {}

    /**
     * Polls {@code condition} until it returns true.
     *
     * @param expected what is awaited, as the failure message should say it ("the view is ready")
     * @throws AssertionError after {@code timeout}, naming {@code expected} and the last result or error
     */
    public static void waitFor(String expected, Duration timeout, Callable<Boolean> condition) {
        waitFor(expected, timeout, condition, Boolean.TRUE::equals);
    }

    /**
     * Polls {@code actual} until {@code done} accepts its value, and returns that value.
     *
     * @param expected what is awaited, as the failure message should say it ("3 records in k8s.state")
     * @throws AssertionError after {@code timeout}, naming {@code expected} and the last value or error
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
            pause(expected);
        }
    }

    /**
     * Polls {@code actual} until it equals {@code expected} ({@link Objects#equals}), e.g. {@code
     * waitForEquals("the view's size", timeout, 3, view::size)}; the failure message reads "...
     * waiting until the view's size is 3; last seen: 2".
     *
     * @throws AssertionError after {@code timeout}, naming the expected and the last value or error
     */
    public static <T> T waitForEquals(String what, Duration timeout, T expected, Callable<T> actual) {
        return waitFor(what + " is " + expected, timeout, actual, value -> Objects.equals(expected, value));
    }

    /** The failure message of {@link #waitFor}: expected vs the last value seen. */
    static String timeoutMessage(String expected, Duration timeout, Object last) {
        return "Timed out after " + timeout + " waiting until " + expected + "; last seen: " + Objects.toString(last);
    }

    private static void pause(String expected) {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting until " + expected, e);
        }
    }
}
