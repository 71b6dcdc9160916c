package io.statecast.materializer;

import io.statecast.common.StatecastException;

/**
 * Fatal: changes of a {@code <ns>.changes} partition were deleted (retention, or records deleted by hand)
 * before the materializer processed them, so accepted writes are missing from the table. The materializer
 * refuses to go on rather than skip them in silence; see docs/reliability.md for what to do.
 */
public class ChangesLostException extends StatecastException {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final int partition;
    private final long firstLost;
    private final long logStartOffset;

    /**
     * @param firstLost the first offset not processed (the group's committed offset)
     * @param logStartOffset the first offset the partition still holds
     */
    public ChangesLostException(String topic, int partition, long firstLost, long logStartOffset) {
        super("Partition " + partition + " of " + topic + " starts at offset " + logStartOffset
                + " but the materializer processed it only up to offset " + (firstLost - 1) + ": the changes at "
                + firstLost + ".." + (logStartOffset - 1) + " were deleted before they were processed and are"
                + " missing from the table. Raise the topic's retention.ms, and see docs/reliability.md"
                + " (\"Changes lost before they were processed\") for how to go on");
        this.topic = topic;
        this.partition = partition;
        this.firstLost = firstLost;
        this.logStartOffset = logStartOffset;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    /** The first offset that was deleted before it was processed. */
    public long firstLost() {
        return firstLost;
    }

    /** The first offset the partition still holds. */
    public long logStartOffset() {
        return logStartOffset;
    }
}
