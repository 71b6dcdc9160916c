package io.statecast.testkit.internal;

import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;

/** Forces the log cleaner over one compacted topic (see {@link KafkaFixture#forceCompaction}). */
public final class Compaction {
    /** Key prefix of the records written to roll segments. */
    public static final String MARKER_PREFIX = "__statecast_roll_";

    private Compaction() {}

    public static void force(KafkaFixture kafka, String topic, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        List<AlterConfigOp> ops = List.of(
                set("segment.ms", "100"),
                set("min.cleanable.dirty.ratio", "0.01"),
                set("min.compaction.lag.ms", "0"),
                set("max.compaction.lag.ms", "100"));
        KafkaFixture.get(
                kafka.admin().incrementalAlterConfigs(Map.of(resource, ops)).all());
        int partitions = KafkaFixture.get(
                        kafka.admin().describeTopics(List.of(topic)).allTopicNames())
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
                        roll(kafka, topic, partitions);
                        lastRoll[0] = System.nanoTime();
                    }
                    return duplicateKeys(kafka.readToEnd(topic));
                },
                superseded -> superseded == 0);
    }

    // segment.ms rolls a segment only when a record arrives after it expired: write one marker per partition.
    private static void roll(KafkaFixture kafka, String topic, int partitions) {
        List<ProducerRecord<byte[], byte[]>> markers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            markers.add(
                    new ProducerRecord<>(topic, p, (MARKER_PREFIX + p).getBytes(StandardCharsets.UTF_8), new byte[0]));
        }
        kafka.produce(topic, markers);
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
