package io.statecast.materializer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code statecast status} and the materializer's HTTP {@code /} page show of a namespace: its topics,
 * the materializer instances and their lag per partition, the last checksum per partition, the rejections
 * of the last hour by reason, the state's size and the slices. Read with {@link StatusReader#read}.
 *
 * @param namespace the namespace
 * @param at when the status was read
 * @param topics the namespace's topics (missing ones included, {@code exists} false)
 * @param materializers the materializer's consumer group (Kafka Streams' application id)
 * @param partitions per partition of {@code <ns>.changes}: end, committed, lag, owner, last checksum, entries
 * @param rejectionsLastHour rejections written in the hour before {@code at}, by reason code
 * @param stateBytes the size on disk of {@code <ns>.state}'s leader replicas (-1 when the brokers did not say)
 * @param slices the slice topics {@code <ns>.slice.*}
 */
public record NamespaceStatus(
        String namespace,
        Instant at,
        List<Topic> topics,
        Group materializers,
        List<Partition> partitions,
        Map<String, Long> rejectionsLastHour,
        long stateBytes,
        List<Topic> slices) {

    /** A topic and its partition count (0 when it does not exist). */
    public record Topic(String name, boolean exists, int partitions) {}

    /**
     * The materializer's consumer group.
     *
     * @param id the group id (the application id)
     * @param state the group's state as the coordinator reports it ({@code STABLE}, {@code EMPTY}, {@code DEAD}…)
     * @param instances the members: one per materializer instance (stream thread)
     */
    public record Group(String id, String state, List<Instance> instances) {}

    /** One member of the group: its client id, host and the {@code changes} partitions assigned to it. */
    public record Instance(String clientId, String host, List<Integer> partitions) {}

    /**
     * One partition of the namespace.
     *
     * @param partition the partition number (of {@code changes}, {@code state} and {@code checksums} alike)
     * @param end the end offset of {@code changes} (read_committed: the last stable offset)
     * @param committed the materializer's committed offset, -1 when it committed none
     * @param lag {@code end - committed} ({@code end} when nothing was committed: counted from offset 0)
     * @param owner the client id of the instance the partition is assigned to, "" when none
     * @param lastChecksum when the partition's last checksum was emitted, null when none was found recently
     * @param entries live entries of the partition as of that checksum, -1 when unknown
     */
    public record Partition(
            int partition, long end, long committed, long lag, String owner, Instant lastChecksum, long entries) {}

    /** Live entries of the table: the sum over partitions of their last checksum's count (-1 when none is known). */
    public long entries() {
        return partitions.stream().anyMatch(p -> p.entries() >= 0)
                ? partitions.stream().mapToLong(p -> Math.max(0, p.entries())).sum()
                : -1;
    }

    /** Rejections of the last hour, all reasons. */
    public long rejectionsLastHourTotal() {
        return rejectionsLastHour.values().stream().mapToLong(Long::longValue).sum();
    }
}
