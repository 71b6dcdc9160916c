package io.statecast.producer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceProgress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the materializer's back-fill of a slice got, from the latest marks in partition 0 of the
 * slice's checksums topic: every source partition writes a mark there at least once per checksum
 * interval, flagged {@code backfilled} once that partition's entries are all in the slice.
 */
final class Backfill {
    private static final int TAIL_PER_SOURCE = 64;

    private Backfill() {}

    static String status(Map<String, ?> kafka, Namespace ns, String slice, int sources) {
        TopicPartition tp = new TopicPartition(ns.sliceChecksums(slice), 0);
        Map<Integer, Boolean> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c =
                KafkaClients.consumer(kafka, Map.of("client.id", "statecast-describe"))) {
            c.assign(List.of(tp));
            Duration timeout = Duration.ofSeconds(30);
            long end = c.endOffsets(List.of(tp), timeout).get(tp);
            long begin = c.beginningOffsets(List.of(tp), timeout).get(tp);
            c.seek(tp, Math.max(begin, end - (long) TAIL_PER_SOURCE * Math.max(1, sources)));
            TopicReader.readToEnd(c, Map.of(tp, end), timeout, r -> note(latest, r));
        }
        long done = latest.values().stream().filter(b -> b).count();
        if (latest.isEmpty()) {
            return "no marks yet (is the materializer running?)";
        }
        return done == sources ? "back-filled" : "back-filling: " + done + " of " + sources + " source partitions done";
    }

    private static void note(Map<Integer, Boolean> latest, ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            Object v = Envelopes.decodeSliceChecksumsValue(r.value());
            if (v instanceof SliceChecksum c) {
                latest.put(c.getSrcPartition(), true); // emitted only once back-filled
            } else if (v instanceof SliceProgress p) {
                latest.put(p.getSrcPartition(), p.getBackfilled());
            }
        } catch (StatecastException e) {
            // not a mark (e.g. a record a tool wrote by hand): nothing to learn from it
        }
    }
}
