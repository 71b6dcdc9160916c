package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceProgress;
import io.statecast.schemas.SliceValueDigest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The checksums and progress marks of one source partition's share of every slice, written to each
 * slice partition q of {@code <ns>.slice.<name>.checksums}: every checksum interval (or on demand) a
 * {@code SliceChecksum} with one digest per slice value of q (a {@code SliceProgress} flagged
 * not back-filled to every q instead while the slice's back-fill runs), and in between, at most once
 * per progress interval, a {@code SliceProgress} to each q whose last record or mark is behind the last
 * processed change. Both carry {@code sc.sliceSrcOffset}, the srcOffset of the last record this partition wrote
 * to q, which a view waits for before it trusts the mark.
 */
final class SliceMarks {
    private final ProcessorContext<byte[], Routed> context;
    private final int partition;
    private final SliceSettings settings;
    private final byte[] key;
    private long lastChecksumAt;
    private long lastProgressAt;
    private long seenRequest;

    SliceMarks(ProcessorContext<byte[], Routed> context, int partition, SliceSettings settings) {
        this.context = context;
        this.partition = partition;
        this.settings = settings;
        this.key = ByteBuffer.allocate(4).putInt(partition).array();
        this.lastChecksumAt = settings.clock().millis();
        this.lastProgressAt = lastChecksumAt;
        this.seenRequest = settings.requests().current();
    }

    void tick(long now, Collection<SliceState> states, long lastSrc) {
        long request = settings.requests().current();
        if (now - lastChecksumAt >= settings.checksumInterval().toMillis() || request != seenRequest) {
            // A back-fill writes records at the same srcOffset across ticks, so a checksum "at" that offset
            // would not name one point: checksums wait until the back-fill is done; marks say it is not.
            states.forEach(s -> {
                if (s.backfilled) {
                    checksums(s, now, lastSrc);
                } else {
                    progress(s, now, lastSrc, true);
                }
            });
            lastChecksumAt = now;
            lastProgressAt = now;
            seenRequest = request;
        } else if (now - lastProgressAt >= settings.progressInterval().toMillis()) {
            states.forEach(s -> progress(s, now, lastSrc, false));
            lastProgressAt = now;
        }
    }

    private void checksums(SliceState s, long now, long lastSrc) {
        List<List<SliceValueDigest>> byPartition = new ArrayList<>();
        for (int q = 0; q < s.slice.partitions(); q++) {
            byPartition.add(new ArrayList<>());
        }
        for (Map.Entry<String, Digest> e : s.digests.entrySet()) {
            DigestValue d = e.getValue().value();
            byPartition
                    .get(s.slice.partitionOf(e.getKey()))
                    .add(new SliceValueDigest(e.getKey(), d.count(), List.of(d.lane0(), d.lane1())));
        }
        for (int q = 0; q < s.slice.partitions(); q++) {
            List<SliceValueDigest> values = byPartition.get(q);
            values.sort(Comparator.comparing(SliceValueDigest::getValue));
            byte[] value = Envelopes.sliceChecksum()
                    .encode(SliceChecksum.newBuilder()
                            .setSlice(s.slice.name())
                            .setPartition(q)
                            .setSrcPartition(partition)
                            .setSrcOffset(lastSrc)
                            .setDigestVersion(SliceState.SLICE_DIGEST.version())
                            .setValues(values)
                            .setEmittedAt(Instant.ofEpochMilli(now))
                            .build());
            forward(s, q, value, now);
            s.marked(q, lastSrc);
        }
        settings.counters().sliceChecksums.increment(s.slice.partitions());
    }

    private void progress(SliceState s, long now, long lastSrc, boolean all) {
        for (int q = 0; q < s.slice.partitions(); q++) {
            if (all || lastSrc > s.covered[q]) {
                byte[] value = Envelopes.sliceProgress()
                        .encode(SliceProgress.newBuilder()
                                .setSlice(s.slice.name())
                                .setPartition(q)
                                .setSrcPartition(partition)
                                .setSrcOffset(lastSrc)
                                .setBackfilled(s.backfilled)
                                .setEmittedAt(Instant.ofEpochMilli(now))
                                .build());
                forward(s, q, value, now);
                s.marked(q, lastSrc);
                settings.counters().sliceProgress.increment();
            }
        }
    }

    private void forward(SliceState s, int q, byte[] value, long now) {
        Headers h = new RecordHeaders()
                .add(StatecastHeaders.SLICE_SRC_OFFSET, StatecastHeaders.encodeLong(s.lastRecordSrc[q]));
        context.forward(
                new Record<>(key, new Routed(q, value, s.slice.checksumsTopic()), now, h), TopologyNames.SLICES_SINK);
    }
}
