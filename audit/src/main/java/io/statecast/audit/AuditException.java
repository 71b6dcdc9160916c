package io.statecast.audit;

import io.statecast.common.StatecastException;

/**
 * An audit question that has no answer as asked. Subtypes say which: {@link NamespaceNotFoundException},
 * {@link TimeBeforeLogStartException}, {@link KeyNotFoundException}, {@link InvalidPointException}.
 */
public class AuditException extends StatecastException {
    private static final long serialVersionUID = 1L;

    /** An audit failure described by {@code message}. */
    public AuditException(String message) {
        super(message);
    }
}
