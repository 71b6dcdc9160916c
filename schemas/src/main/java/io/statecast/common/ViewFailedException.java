package io.statecast.common;

/** Fatal: the view stopped for good (see the cause); build a new one after fixing what the message says. */
public class ViewFailedException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public ViewFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
