package io.statecast.audit;

import java.util.List;

/**
 * The result of {@link Auditor#verify()}: per state partition, how many checksums matched the replayed
 * log, which did not, and how many could not be compared.
 *
 * @param partitions one result per state partition, by partition number
 * @param undecodableChecksums records of {@code <ns>.checksums} that are neither a Checksum nor a Progress
 * @param slices one result per slice defined in {@code <ns>.slices}, by name
 */
public record VerifyReport(List<PartitionResult> partitions, long undecodableChecksums, List<SliceReport> slices) {

    /** True when no partition has a mismatch and every slice is ok. */
    public boolean ok() {
        return partitions.stream().allMatch(p -> p.mismatches().isEmpty())
                && slices.stream().allMatch(SliceReport::ok);
    }

    /**
     * The result of one partition.
     *
     * @param partition the state partition
     * @param source the topic replayed for it ({@code <ns>.state} or {@code <ns>.history})
     * @param verified checksums equal to the replay
     * @param notComparable checksums the replay cannot judge (compaction may have removed records they
     *     cover, or another digest version)
     * @param mismatches checksums that differ from the replay
     * @param skippedRecords records of the source that are not state records (skipped, counted)
     * @param note why this source was chosen, or null
     */
    public record PartitionResult(
            int partition,
            String source,
            int verified,
            int notComparable,
            List<Mismatch> mismatches,
            long skippedRecords,
            String note) {

        /** The number of mismatched checksums. */
        public int mismatched() {
            return mismatches.size();
        }
    }

    /**
     * A checksum that disagrees with the replayed log.
     *
     * @param partition the state partition
     * @param srcOffset the checkpoint: {@code changes} offset the checksum covers
     * @param checksumCount the entry count the checksum states
     * @param checksumLanes the lanes the checksum states
     * @param replayedCount the entry count of the replay at that point
     * @param replayedLanes the lanes of the replay at that point
     */
    public record Mismatch(
            int partition,
            long srcOffset,
            long checksumCount,
            List<Long> checksumLanes,
            long replayedCount,
            List<Long> replayedLanes) {

        /** One line naming the partition and the checkpoint, e.g. for a CLI report. */
        public String describe() {
            return "partition " + partition + " at srcOffset " + srcOffset + ": checksum count=" + checksumCount
                    + " lanes=" + checksumLanes + ", replayed count=" + replayedCount + " lanes=" + replayedLanes;
        }
    }
}
