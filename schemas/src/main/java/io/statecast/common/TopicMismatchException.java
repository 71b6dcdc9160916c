package io.statecast.common;

/** Fatal configuration error: an existing topic differs from what Statecast needs; nothing was changed. */
public class TopicMismatchException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public TopicMismatchException(String topic, String difference) {
        super(difference.startsWith(topic + " ") ? difference : "Topic '" + topic + "' " + difference);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
