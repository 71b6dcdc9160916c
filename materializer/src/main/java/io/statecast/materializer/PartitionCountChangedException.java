package io.statecast.materializer;

import io.statecast.common.ConfigurationException;

/**
 * Fatal: partitions were added to a namespace the materializer wrote to. Kafka's default partitioner maps a
 * key by the partition count, so a key would move to another partition and start over at version 1 while its
 * record stays in the old one. The materializer halts instead; docs/materializer.md ("Growing a namespace") says
 * how to move to more partitions.
 */
public class PartitionCountChangedException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final int was;
    private final int now;

    /**
     * @param topic the topic that grew
     * @param was the count the materializer ran with (the {@code sc.partitions} header of its marks)
     * @param now the topic's count now
     */
    public PartitionCountChangedException(String topic, int was, int now) {
        super(topic + " has " + now + " partitions but the materializer ran with " + was + ": keys would move to"
                + " other partitions and start over at version 1. Partitions cannot be added to a namespace;"
                + " move to a new namespace with more partitions (docs/materializer.md, \"Growing a namespace\")");
        this.topic = topic;
        this.was = was;
        this.now = now;
    }

    /** The topic whose partition count changed. */
    public String topic() {
        return topic;
    }

    /** The partition count the materializer ran with. */
    public int was() {
        return was;
    }

    /** The topic's partition count now. */
    public int now() {
        return now;
    }
}
