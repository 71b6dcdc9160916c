package io.statecast.audit;

import io.statecast.common.DigestValue;
import java.util.List;

/**
 * What {@link Auditor#verify()} found for one slice: its checksums judged against a replay of the slice
 * log, and the slice compared with the state projected by the slice's field.
 *
 * @param slice the slice name
 * @param field the field it partitions by
 * @param verified slice checksums equal to the replay
 * @param notComparable checksums the replay cannot judge (compaction, another digest version)
 * @param mismatches checksums that differ from the replay
 * @param differences how many keys differ between the slice and the projected state
 * @param examples up to ten of those differences, one line each
 * @param skippedRecords records of the slice topic that are not slice records (no {@code sc.srcPartition})
 */
public record SliceReport(
        String slice,
        String field,
        int verified,
        int notComparable,
        List<Mismatch> mismatches,
        long differences,
        List<String> examples,
        long skippedRecords) {

    /** True when no checksum mismatched and the slice equals the projection. */
    public boolean ok() {
        return mismatches.isEmpty() && differences == 0;
    }

    /**
     * A slice checksum that disagrees with the replayed slice log for one slice value.
     *
     * @param partition the slice partition
     * @param srcPartition the source ({@code changes}/{@code state}) partition whose share it covers
     * @param srcOffset the checkpoint
     * @param value the slice value
     * @param checksum what the checksum states (count 0 when it does not list the value)
     * @param replayed what the replay holds at that point
     */
    public record Mismatch(
            int partition, int srcPartition, long srcOffset, String value, DigestValue checksum, DigestValue replayed) {

        /** One line naming where, e.g. for a CLI report. */
        public String describe() {
            return "slice partition " + partition + ", source partition " + srcPartition + " at srcOffset " + srcOffset
                    + ", value '" + value + "': checksum " + checksum + ", replayed " + replayed;
        }
    }
}
