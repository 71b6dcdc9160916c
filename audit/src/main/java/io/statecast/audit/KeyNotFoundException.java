package io.statecast.audit;

/** A key with no record at all in the replayed topic. */
public class KeyNotFoundException extends AuditException {
    private static final long serialVersionUID = 1L;
    private final String namespace;
    private final String key;
    private final String topic;

    /** {@code compacted} says whether {@code topic} is the compacted state log (which forgets deleted keys). */
    public KeyNotFoundException(String namespace, String key, String topic, boolean compacted) {
        super("Key '" + key + "' never existed in namespace " + namespace + ": no record of it in " + topic
                + (compacted
                        ? " (a compacted topic: a key deleted long ago may have lost its tombstone too;"
                                + " enable <ns>.history to keep every version)"
                        : "")
                + ". Check the key's exact spelling, e.g. with `statecast audit as-of`.");
        this.namespace = namespace;
        this.key = key;
        this.topic = topic;
    }

    /** The namespace searched. */
    public String namespace() {
        return namespace;
    }

    /** The key asked for. */
    public String key() {
        return key;
    }

    /** The topic searched. */
    public String topic() {
        return topic;
    }
}
