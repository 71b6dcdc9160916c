package io.statecast.audit;

/** A point in time that cannot be parsed or names a partition the namespace does not have (a usage error). */
public class InvalidPointException extends AuditException {
    private static final long serialVersionUID = 1L;

    /** A usage error described by {@code message}, which says what to write instead. */
    public InvalidPointException(String message) {
        super(message);
    }
}
