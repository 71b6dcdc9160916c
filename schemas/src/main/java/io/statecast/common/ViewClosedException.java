package io.statecast.common;

/** The view was closed: it serves nothing more; build a new one to read again. */
public class ViewClosedException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public ViewClosedException(String message) {
        super(message);
    }
}
