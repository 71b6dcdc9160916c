package io.statecast.common;

/**
 * Fatal until the configuration changes: a flag, a file, a client property, or a topic that must exist
 * is wrong or missing. The message says what to change. The {@code statecast} command exits with code 2
 * on it (bad usage or configuration), where other failures exit 1.
 */
public class ConfigurationException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
