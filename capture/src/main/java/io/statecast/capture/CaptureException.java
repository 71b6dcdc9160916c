package io.statecast.capture;

import io.statecast.common.StatecastException;

/**
 * Capture cannot start or go on. {@link #misconfigured()} tells a setting the user must change (a wrong password,
 * a missing table, {@code wal_level} not {@code logical}: the command exits 2) from a failure at run time (exit
 * 1); the message names the fix.
 */
public class CaptureException extends StatecastException {
    private static final long serialVersionUID = 1L;
    private final boolean misconfigured;

    /** A failure; {@code misconfigured} when a setting of the user's must change. */
    public CaptureException(String message, boolean misconfigured, Throwable cause) {
        super(message, cause);
        this.misconfigured = misconfigured;
    }

    /** A setting of the user's must change (the database's, the table's or a flag). */
    public static CaptureException config(String message) {
        return new CaptureException(message, true, null);
    }

    /** True when a setting must change, false for a failure at run time. */
    public boolean misconfigured() {
        return misconfigured;
    }
}
