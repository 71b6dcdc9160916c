package io.statecast.producer;

import io.statecast.common.StatecastException;

/** Kafka refused or lost a send (see the cause); the change may be retried. */
public class SendFailedException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
