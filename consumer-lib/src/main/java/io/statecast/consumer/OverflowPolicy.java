package io.statecast.consumer;

/** What happens when a listener's bounded queue is full. The view itself is never slowed down. */
public enum OverflowPolicy {
    /**
     * Drop the listener's queued events and send it a {@link ResetEvent} with reason
     * {@code LISTENER_OVERFLOW}; the listener re-reads the view and continues with the next events.
     */
    DROP_AND_RESET,
    /** Drop the new event and count it ({@code ListenerStats#dropped}); for listeners that only sample. */
    DROP_NEWEST
}
