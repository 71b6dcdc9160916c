package io.statecast.common;

import java.util.List;
import java.util.Set;

/** Fatal: a view or a command named a slice the namespace does not define. The message lists those that exist. */
public class SliceNotFoundException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String namespace;
    private final String slice;
    private final List<String> existing;

    public SliceNotFoundException(String namespace, String slice, Set<String> existing) {
        super("Namespace " + namespace + " has no slice '" + slice + "'; "
                + (existing.isEmpty()
                        ? "it defines none (statecast topics add-slice --namespace " + namespace + " NAME=FIELD)"
                        : "its slices: " + String.join(", ", existing)));
        this.namespace = namespace;
        this.slice = slice;
        this.existing = List.copyOf(existing);
    }

    public String namespace() {
        return namespace;
    }

    /** The name asked for. */
    public String slice() {
        return slice;
    }

    /** The slices the namespace defines, sorted. */
    public List<String> existing() {
        return existing;
    }
}
