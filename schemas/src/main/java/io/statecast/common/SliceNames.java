package io.statecast.common;

import java.util.regex.Pattern;

/** The rule for slice names: 1 to 64 letters, digits, '_' or '-' (no '.', so topic names cannot collide). */
public final class SliceNames {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private SliceNames() {}

    /** Returns {@code name} when valid; throws a {@link ConfigurationException} saying what is allowed otherwise. */
    public static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new ConfigurationException(
                    "Invalid slice name '" + name + "': use 1 to 64 characters among letters, digits, '_' and '-'");
        }
        return name;
    }
}
