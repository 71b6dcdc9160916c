package io.statecast.common;

/** Retriable: the view has not finished its bootstrap (or is re-bootstrapping) and the caller asked to fail fast. */
public class ViewNotReadyException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public ViewNotReadyException(String message) {
        super(message);
    }
}
