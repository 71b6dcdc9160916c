package io.statecast.audit;

import java.util.List;

/**
 * Keys added, removed and changed between two points.
 *
 * @param added keys live at the second point only, with their version there
 * @param removed keys live at the first point only, with their last version there
 * @param changed keys live at both points with different versions, with their field-level changes
 * @param caveat the caveat of the replay (see {@link Table#caveat()}), or null
 */
public record Diff(List<Entry> added, List<Entry> removed, List<Changed> changed, String caveat) {

    /**
     * A key present at both points with different versions.
     *
     * @param changes the fields whose values differ between the two versions (decoded with their writer schemas)
     */
    public record Changed(String key, long fromVersion, long toVersion, List<FieldChange> changes) {}
}
