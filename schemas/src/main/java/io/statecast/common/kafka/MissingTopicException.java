package io.statecast.common.kafka;

import io.statecast.common.ConfigurationException;

/** A topic Statecast needs does not exist; create the namespace's topics first. */
public class MissingTopicException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public MissingTopicException(String topic) {
        super("Topic '" + topic + "' does not exist; create the namespace's topics with"
                + " `statecast topics create --namespace <ns>`");
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
