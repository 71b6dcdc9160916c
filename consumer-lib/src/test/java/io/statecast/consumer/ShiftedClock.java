package io.statecast.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock moved forward by what a test says: hours pass for a view in no time. */
final class ShiftedClock extends Clock {
    private final AtomicLong shiftMs = new AtomicLong();

    /** Moves the clock forward by {@code d}. */
    void shift(Duration d) {
        shiftMs.addAndGet(d.toMillis());
    }

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(shiftMs.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock in UTC");
    }
}
