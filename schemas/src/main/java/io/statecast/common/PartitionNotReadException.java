package io.statecast.common;

/**
 * A caller error: a read-your-writes wait for a partition the view does not read (not among its chosen
 * partitions, or not in the topic), which would never complete. Await the receipt with a view that reads
 * its partition.
 */
public class PartitionNotReadException extends StatecastException {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final int partition;

    /**
     * @param topic the view's state topic
     * @param partition the receipt's partition
     * @param reads what the view reads, for the message ("partitions [0, 2]")
     */
    public PartitionNotReadException(String topic, int partition, String reads) {
        super("This view of " + topic + " does not read partition " + partition + " (it reads " + reads
                + "): await a receipt with a view that reads its partition");
        this.topic = topic;
        this.partition = partition;
    }

    /** The view's state topic. */
    public String topic() {
        return topic;
    }

    /** The partition the wait was for. */
    public int partition() {
        return partition;
    }
}
