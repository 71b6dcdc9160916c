package io.statecast.common;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A namespace groups the topics of one authoritative table: {@code <ns>.changes}, {@code <ns>.state},
 * {@code <ns>.checksums} (checksums and progress marks), {@code <ns>.rejections},
 * {@code <ns>.history} (optional) and {@code <ns>.schemas}.
 */
public record Namespace(String name) {
    // Kafka topic names allow [a-zA-Z0-9._-] up to 249 chars; leave room for the longest suffix.
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]{1,230}");

    public Namespace {
        Objects.requireNonNull(name, "name");
        if (!VALID.matcher(name).matches()) {
            throw new StatecastException("Invalid namespace '" + name
                    + "': use 1 to 230 characters among letters, digits, '.', '_' and '-'");
        }
    }

    public static Namespace of(String name) {
        return new Namespace(name);
    }

    public String changes() {
        return name + ".changes";
    }

    public String state() {
        return name + ".state";
    }

    /** Carries both {@code Checksum} and {@code Progress} values, keyed and partitioned by state partition. */
    public String checksums() {
        return name + ".checksums";
    }

    public String rejections() {
        return name + ".rejections";
    }

    public String history() {
        return name + ".history";
    }

    public String schemas() {
        return name + ".schemas";
    }

    /** Every topic of the namespace, history included. */
    public List<String> topics() {
        return List.of(changes(), state(), checksums(), rejections(), history(), schemas());
    }

    @Override
    public String toString() {
        return name;
    }
}
