package io.statecast.audit;

import java.util.List;

/** Per state partition: checksums verified, mismatched and not comparable, with the mismatches. */
public record VerifyReport(String source, List<PartitionResult> partitions) {

    /** The result of one partition. */
    public record PartitionResult(int partition, int verified, int mismatched, int notComparable, List<String> mismatches) {
    }

    public boolean ok() {
        return partitions.stream().allMatch(p -> p.mismatched() == 0);
    }
}
