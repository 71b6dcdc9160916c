package io.statecast.consumer.internal;

import io.statecast.common.Namespace;
import io.statecast.consumer.ViewConfig;
import java.util.Set;

/**
 * What a view reads: a topic of state records, the topic of its checksums and progress marks (null for
 * a plain topic, which has none), and which partitions (empty: all). A slice view reads some partitions
 * of its slice topic; the rest of the engine does not care which topic it is.
 *
 * @param name the namespace or topic, for thread names and log lines ({@code [view ns=k8s]})
 */
record ViewSource(String name, String stateTopic, String marksTopic, Set<Integer> partitions) {

    static ViewSource of(ViewConfig config) {
        if (config.namespace() == null) {
            return new ViewSource(config.topic(), config.topic(), null, config.partitions());
        }
        Namespace ns = Namespace.of(config.namespace());
        return new ViewSource(ns.name(), ns.state(), ns.checksums(), config.partitions());
    }

    /** Whether this view reads partition {@code p} of the state topic. */
    boolean reads(int p) {
        return partitions.isEmpty() || partitions.contains(p);
    }

    String logId() {
        return "[view ns=" + name + "]";
    }

    /** Thread names: {@code statecast-view-<name>-<role>}. */
    String threadName(String role) {
        return "statecast-view-" + name + "-" + role;
    }
}
