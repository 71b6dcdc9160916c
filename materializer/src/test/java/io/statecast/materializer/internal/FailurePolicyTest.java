package io.statecast.materializer.internal;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.statecast.materializer.PartitionCountChangedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
    private final AtomicBoolean limitsChanged = new AtomicBoolean();
    private final AtomicReference<Throwable> halted = new AtomicReference<>();
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final FailurePolicy policy = new FailurePolicy("ns", limitsChanged::get, clock(), halted::set);

    private Clock clock() {
        return new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    @Test
    void aRecordTooLargeRetriesOnlyWhenATopicLimitChanged() {
        StreamsException e = new StreamsException("send failed", new RecordTooLargeException("too large"));
        limitsChanged.set(true);
        assertEquals(REPLACE_THREAD, policy.handle(e));
        assertNull(halted.get());
        limitsChanged.set(false);
        assertEquals(SHUTDOWN_CLIENT, policy.handle(e), "the retry would meet the same record: halt");
        assertSame(e, halted.get());
    }

    @Test
    void aConfigurationErrorHaltsAtOnceWithTheErrorItself() {
        PartitionCountChangedException grown = new PartitionCountChangedException("ns.changes", 3, 4);
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new StreamsException("task 0_1", grown)));
        assertSame(grown, halted.get(), "the caller learns the typed error, not Kafka Streams' wrapper");
    }

    @Test
    void anotherFailureReplacesTheThreadOnceAndHaltsWhenItRepeats() {
        StreamsException first = new StreamsException("task 0_0", new IllegalStateException("boom at offset 7"));
        assertEquals(REPLACE_THREAD, policy.handle(first));
        assertEquals(REPLACE_THREAD, policy.handle(new StreamsException("x", new IllegalStateException("other"))));
        assertEquals(REPLACE_THREAD, policy.handle(first), "not the same as the failure just before");
        now = now.plus(Duration.ofMinutes(1));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(first), "the same failure again: it repeats");
        assertSame(first, halted.get());
    }

    @Test
    void theSameFailureLongAfterIsNotARepeat() {
        StreamsException e = new StreamsException("x", new IllegalStateException("transient"));
        assertEquals(REPLACE_THREAD, policy.handle(e));
        now = now.plus(FailurePolicy.REPEAT_WINDOW).plusSeconds(1);
        assertEquals(REPLACE_THREAD, policy.handle(e));
        assertNull(halted.get());
    }
}
