package io.statecast.materializer;

import io.statecast.common.ConfigurationException;

/** Fatal: {@code <ns>.changes} and {@code <ns>.state} differ in partition count, so partition p cannot feed partition p. */
public class CoPartitioningException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public CoPartitioningException(String changes, int changesPartitions, String state, int statePartitions) {
        super(
                changes + " has " + changesPartitions + " partitions but " + state + " has " + statePartitions
                        + ": they must be equal (co-partitioning); recreate the namespace's topics with `statecast topics create`");
    }
}
