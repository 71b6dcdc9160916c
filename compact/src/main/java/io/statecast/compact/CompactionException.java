package io.statecast.compact;

import io.statecast.common.StatecastException;

/** A value or a dictionary that compact storage cannot handle; the message says which and why. */
public final class CompactionException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public CompactionException(String message) {
        super(message);
    }
}
