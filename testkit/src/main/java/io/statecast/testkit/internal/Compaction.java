package io.statecast.testkit.internal;

import io.statecast.testkit.Conditions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;

/** Forces the log cleaner over one compacted topic (see {@code KafkaFixture#forceCompaction}). */
public final class Compaction {
    /** Key prefix of the records written to roll segments. */
    public static final String MARKER_PREFIX = "__statecast_roll_";

    private Compaction() {}

    /** Reads a whole topic, every partition to its end. */
    public interface Reader extends Function<String, List<ConsumerRecord<byte[], byte[]>>> {}

    /** Writes records to a topic and waits until they are acknowledged. */
    public interface Writer extends BiConsumer<String, List<ProducerRecord<byte[], byte[]>>> {}

    /** Compacts {@code topic} through {@code admin}, reading and writing it with the fixture's clients. */
    public static void force(Admin admin, String topic, Duration timeout, Reader read, Writer write) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        List<AlterConfigOp> ops = List.of(
                set("segment.ms", "100"),
                set("min.cleanable.dirty.ratio", "0.01"),
                set("min.compaction.lag.ms", "0"),
                set("max.compaction.lag.ms", "100"));
        Futures.get(admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
        int partitions = Futures.get(admin.describeTopics(List.of(topic)).allTopicNames())
                .get(topic)
                .partitions()
                .size();
        long[] lastRoll = {System.nanoTime() - 3_000_000_000L}; // roll on the first poll
        Conditions.waitFor(
                "the number of superseded records in " + topic + " is 0",
                timeout,
                () -> {
                    // Re-roll now and then: a segment younger than segment.ms at the first roll stays active.
                    if (System.nanoTime() - lastRoll[0] > 2_000_000_000L) {
                        roll(write, topic, partitions);
                        lastRoll[0] = System.nanoTime();
                    }
                    return duplicateKeys(read.apply(topic));
                },
                superseded -> superseded == 0);
    }

    // segment.ms rolls a segment only when a record arrives after it expired: write one marker per partition.
    private static void roll(Writer write, String topic, int partitions) {
        List<ProducerRecord<byte[], byte[]>> markers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            markers.add(
                    new ProducerRecord<>(topic, p, (MARKER_PREFIX + p).getBytes(StandardCharsets.UTF_8), new byte[0]));
        }
        write.accept(topic, markers);
    }

    /** Number of records whose key (in the same partition) appears again; roll markers are not counted. */
    public static int duplicateKeys(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.key() == null || isMarker(r.key())) {
                continue;
            }
            if (!seen.add(r.partition() + "/" + Base64.getEncoder().encodeToString(r.key()))) {
                duplicates++;
            }
        }
        return duplicates;
    }

    private static boolean isMarker(byte[] key) {
        return new String(key, StandardCharsets.UTF_8).startsWith(MARKER_PREFIX);
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }
}
