package io.statecast.consumer;

/** What reads do before the view is ready. */
public enum ReadPolicy {
    /** Reads wait until the view is ready (up to the builder's read timeout), then answer. */
    BLOCK,
    /** Reads throw {@link io.statecast.common.ViewNotReadyException} at once. */
    FAIL_FAST
}
