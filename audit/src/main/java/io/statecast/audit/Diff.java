package io.statecast.audit;

import java.util.List;

/** Keys added, removed and changed between two points, with versions. */
public record Diff(List<Entry> added, List<Entry> removed, List<Changed> changed, String caveat) {
    /** A key present at both points with different versions. */
    public record Changed(String key, long fromVersion, long toVersion) {
    }
}
