package io.statecast.testkit;

/** No PostgreSQL could be found or started here; the message says what was tried and what to install. */
public final class PostgresUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why no server is available. */
    public PostgresUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
