package io.statecast.common;

/**
 * Root of every exception Statecast throws. Unchecked; subtypes are named by what the caller can do
 * about them (retry, fix input, fix configuration) and carry the fields that locate the problem.
 */
public class StatecastException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StatecastException(String message) {
        super(message);
    }

    public StatecastException(String message, Throwable cause) {
        super(message, cause);
    }
}
