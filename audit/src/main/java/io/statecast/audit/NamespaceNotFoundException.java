package io.statecast.audit;

import java.util.List;

/** The namespace has no {@code <ns>.state} topic: wrong name or wrong cluster. */
public class NamespaceNotFoundException extends AuditException {
    private static final long serialVersionUID = 1L;
    private final String namespace;
    private final String missingTopic;

    /** {@code known} lists the namespaces that do exist on the cluster (for the message). */
    public NamespaceNotFoundException(String namespace, String missingTopic, List<String> known) {
        super("Namespace '" + namespace + "' not found: topic " + missingTopic + " does not exist on this cluster."
                + " Check --namespace and --bootstrap-servers"
                + (known.isEmpty()
                        ? " (no namespace exists there)."
                        : "; namespaces there: " + String.join(", ", known)));
        this.namespace = namespace;
        this.missingTopic = missingTopic;
    }

    /** The namespace asked for. */
    public String namespace() {
        return namespace;
    }

    /** The topic that is absent. */
    public String missingTopic() {
        return missingTopic;
    }
}
