package io.statecast.common;

/** Retriable after re-reading: a compare-and-set expected another version of the key. */
public class VersionConflictException extends StatecastException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(String key, long expectedVersion, long actualVersion) {
        super(String.format(
                "Version conflict on key '%s': expected version %d, current is %d;"
                        + " read the current value and retry",
                key, expectedVersion, actualVersion));
        this.key = key;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public String key() {
        return key;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    /** The key's version when the change was refused; 0 when the key did not exist. */
    public long actualVersion() {
        return actualVersion;
    }
}
