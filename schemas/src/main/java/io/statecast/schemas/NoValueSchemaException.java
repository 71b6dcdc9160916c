package io.statecast.schemas;

import io.statecast.common.ConfigurationException;
import java.util.List;

/**
 * A tool that was given no value schema cannot take one from the namespace: its schemas topic holds no
 * value schema yet, or schemas of more than one record. Give the schema explicitly.
 */
public class NoValueSchemaException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final List<String> records;

    public NoValueSchemaException(String topic, List<String> records) {
        super(message(topic, records));
        this.topic = topic;
        this.records = List.copyOf(records);
    }

    private static String message(String topic, List<String> records) {
        String fix = "give the schema with --value-schema FILE.avsc (or --value-type pod|node for the demo's records)";
        if (records.isEmpty()) {
            return topic + " holds no value schema yet (a writer registers its schema before its first write): " + fix;
        }
        return topic + " holds schemas of " + records.size() + " records " + records
                + ", so the namespace's value schema is ambiguous: " + fix;
    }

    /** The schemas topic that was searched. */
    public String topic() {
        return topic;
    }

    /** The full names of the records whose schemas the topic holds (empty: none). */
    public List<String> records() {
        return records;
    }
}
