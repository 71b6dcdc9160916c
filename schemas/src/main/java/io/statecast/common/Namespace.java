package io.statecast.common;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A namespace groups the topics of one authoritative table: {@code <ns>.changes}, {@code <ns>.state},
 * {@code <ns>.checksums} (checksums and progress marks), {@code <ns>.rejections},
 * {@code <ns>.history} (optional), {@code <ns>.schemas}, the slice definitions {@code <ns>.slices}, and per
 * slice {@code <ns>.slice.<name>} with its {@code <ns>.slice.<name>.checksums}.
 */
public record Namespace(String name) {
    // Kafka topic names allow [a-zA-Z0-9._-] up to 249 chars; leave room for the longest suffix.
    private static final int MAX_TOPIC_LENGTH = 249;
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

    /** The slice definitions: compacted, one partition, key = slice name, value = {@code SliceDefinition}. */
    public String slices() {
        return name + ".slices";
    }

    /** The topic of slice {@code sliceName}: the table's entries partitioned by the slice's field. */
    public String slice(String sliceName) {
        String topic = name + ".slice." + SliceNames.check(sliceName);
        if (topic.length() + ".checksums".length() > MAX_TOPIC_LENGTH) {
            throw new StatecastException("Slice name '" + sliceName + "' is too long for namespace '" + name
                    + "': Kafka topic names have at most " + MAX_TOPIC_LENGTH + " characters");
        }
        return topic;
    }

    /** The checksums and progress marks of slice {@code sliceName}, one partition per slice partition. */
    public String sliceChecksums(String sliceName) {
        return slice(sliceName) + ".checksums";
    }

    /** Every topic of the namespace, history and the slice definitions included (not the slices themselves). */
    public List<String> topics() {
        return List.of(changes(), state(), checksums(), rejections(), history(), schemas(), slices());
    }

    @Override
    public String toString() {
        return name;
    }
}
