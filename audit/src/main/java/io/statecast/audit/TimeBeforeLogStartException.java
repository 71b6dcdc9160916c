package io.statecast.audit;

import java.time.Instant;

/** A point in time earlier than the first record the replayed topic still holds. */
public class TimeBeforeLogStartException extends AuditException {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final Instant requested;
    private final Instant logStart;

    /** {@code logStart} is the timestamp of the oldest record {@code topic} still holds. */
    public TimeBeforeLogStartException(String topic, Instant requested, Instant logStart) {
        super("Time " + requested + " is before the start of " + topic + ": its oldest record is at " + logStart
                + ". Ask for a time at or after " + logStart + ".");
        this.topic = topic;
        this.requested = requested;
        this.logStart = logStart;
    }

    /** The topic replayed. */
    public String topic() {
        return topic;
    }

    /** The time asked for. */
    public Instant requested() {
        return requested;
    }

    /** The timestamp of the topic's oldest record. */
    public Instant logStart() {
        return logStart;
    }
}
