package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    @Test
    void returnsTheFirstAcceptedValueAndTreatsExceptionsAsNotYet() {
        AtomicInteger calls = new AtomicInteger();
        int value = Conditions.waitFor(
                "calls reach 3",
                Duration.ofSeconds(5),
                () -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("not yet");
                    }
                    return calls.get();
                },
                n -> n >= 3);
        assertEquals(3, value);
    }

    @Test
    void aTimeoutNamesTheExpectationAndTheLastValueSeen() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Conditions.waitFor("the count is 0", Duration.ofMillis(250), () -> 7, n -> n == 0));
        assertTrue(
                e.getMessage().contains("the count is 0") && e.getMessage().contains("last seen: 7"), e.getMessage());
    }

    @Test
    void aTimeoutAfterErrorsCarriesTheLastError() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Conditions.waitFor("never", Duration.ofMillis(150), () -> {
                    throw new IllegalStateException("broker down");
                }));
        assertTrue(e.getMessage().contains("broker down"), e.getMessage());
        assertEquals("broker down", e.getCause().getMessage());
    }

    @Test
    void waitForEqualsReturnsOnceTheValueEqualsTheExpectedOne() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(2, Conditions.waitForEquals("the count", Duration.ofSeconds(5), 2, calls::incrementAndGet));
    }

    @Test
    void waitForEqualsPrintsExpectedAndActualOnTimeout() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Conditions.waitForEquals("the view's size", Duration.ofMillis(150), 3, () -> 2));
        assertTrue(e.getMessage().contains("waiting until the view's size is 3; last seen: 2"), e.getMessage());
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            AssertionError e = assertThrows(
                    AssertionError.class, () -> Conditions.waitFor("never", Duration.ofSeconds(5), () -> false));
            assertTrue(e.getMessage().contains("interrupted waiting until never"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
