package io.statecast.producer;

import io.statecast.common.ConfigurationException;
import io.statecast.common.SliceNames;
import io.statecast.schemas.SliceField;

/**
 * A slice to define, as the CLI writes it: {@code NAME=FIELD[:PARTITIONS]} (e.g.
 * {@code by-node=node:256}, {@code by-app=labels.app}).
 *
 * @param name 1 to 64 letters, digits, '_' or '-'; the topic is {@code <ns>.slice.<name>}
 * @param field a top-level field of the value schema or a dotted path into records and maps
 * @param partitions partitions of the slice topic (default {@value #DEFAULT_PARTITIONS})
 */
public record SliceSpec(String name, String field, int partitions) {
    /** Partitions when the text gives none. */
    public static final int DEFAULT_PARTITIONS = 64;

    private static final int MAX_PARTITIONS = 100_000;

    public SliceSpec {
        SliceNames.check(name);
        SliceField.parse(field);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new ConfigurationException(
                    "Slice " + name + ": partitions must be between 1 and " + MAX_PARTITIONS + ", got " + partitions);
        }
    }

    /** Parses {@code NAME=FIELD[:PARTITIONS]}. */
    public static SliceSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new ConfigurationException(
                    "Invalid slice '" + text + "': expected NAME=FIELD[:PARTITIONS], e.g. by-node=node:256");
        }
        String name = text.substring(0, eq);
        String rest = text.substring(eq + 1);
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            return new SliceSpec(name, rest, DEFAULT_PARTITIONS);
        }
        try {
            return new SliceSpec(name, rest.substring(0, colon), Integer.parseInt(rest.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("Invalid slice '" + text + "': PARTITIONS after ':' must be a number");
        }
    }

    @Override
    public String toString() {
        return name + "=" + field + ":" + partitions;
    }
}
