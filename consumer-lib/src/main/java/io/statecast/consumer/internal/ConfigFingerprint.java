package io.statecast.consumer.internal;

import java.util.TreeSet;

/**
 * What a snapshot's entries depend on besides the log: the view's filter and transform (code, which no
 * file can check, hence a version the user declares with them), which partitions it reads (of a slice:
 * its values) and whether it keeps the hashes of filtered-out entries (verification). A snapshot saved
 * under one configuration holds entries shaped by it, and its digest still agrees with them, so a view of
 * another one would load them unseen: a node agent restarted with another filter, or two differently
 * configured views sharing a directory. The snapshot stores this text and a view loads only its own.
 */
final class ConfigFingerprint {
    private ConfigFingerprint() {}

    /** E.g. {@code config.version=(none); filter=yes; transform=no; partitions=all; verification=on}. */
    static String of(ViewSettings<?> settings, ViewSource source) {
        String version = settings.config().configVersion();
        ViewSettings.Rules<?> rules = settings.rules();
        String read = source.slice() != null
                ? "slice " + source.sliceName() + " "
                        + new TreeSet<>(source.slice().values())
                : source.partitions().isEmpty() ? "all" : String.valueOf(new TreeSet<>(source.partitions()));
        return "config.version=" + (version == null ? "(none)" : version)
                + "; filter=" + yes(rules.filter() != null)
                + "; transform=" + yes(rules.transform() != null)
                + "; partitions=" + read
                + "; verification=" + (settings.verifying() ? "on" : "off");
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
