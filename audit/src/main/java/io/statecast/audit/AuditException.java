package io.statecast.audit;

import io.statecast.common.StatecastException;

/** An audit question that has no answer: a missing namespace, a time before the log start, a key that never existed. */
public class AuditException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public AuditException(String message) {
        super(message);
    }
}
