package io.statecast.audit.internal;

import io.statecast.audit.SliceReport;
import io.statecast.common.Namespace;
import io.statecast.common.SlicePartitioner;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SliceChecksum;
import io.statecast.schemas.SliceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The audit of one slice (docs/audit.md, "Slices"): every checksum of {@code <ns>.slice.<name>.checksums}
 * judged against a replay of the slice log per (slice partition, source partition), and the slice's
 * live entries compared with the state's live entries projected by the slice's field: each entity with
 * a slice value in exactly the partition of that value, with the same bytes, and nothing else.
 */
public final class SliceAudit {
    private static final int EXAMPLES = 10;

    private final SliceDefinition definition;
    private final Comparability comparability;
    private final Map<String, List<SliceChecksum>> checksums = new HashMap<>();
    private final Map<String, SliceReplay> replays = new TreeMap<>();
    private long skipped;

    private SliceAudit(SliceDefinition definition, Comparability comparability) {
        this.definition = definition;
        this.comparability = comparability;
    }

    /**
     * Audits {@code definition}; {@code index} is its position among the readers {@code state} was
     * projected with.
     */
    public static SliceReport verify(
            LogReader reader,
            Namespace ns,
            SliceDefinition definition,
            StateProjection state,
            int index,
            Comparability comparability) {
        SliceAudit a = new SliceAudit(definition, comparability);
        reader.forEach(ns.sliceChecksums(definition.getName()), a::acceptMark);
        reader.forEach(ns.slice(definition.getName()), a::acceptRecord);
        a.checksums.forEach((pair, list) -> a.replay(pair)); // pairs with checksums but no record
        a.replays.values().forEach(SliceReplay::finish);
        return a.report(state, index);
    }

    private void acceptMark(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.value() != null && Envelopes.decodeSliceChecksumsValue(r.value()) instanceof SliceChecksum c) {
                checksums
                        .computeIfAbsent(pair(c.getPartition(), c.getSrcPartition()), k -> new ArrayList<>())
                        .add(c);
            }
        } catch (StatecastException e) {
            skipped++; // not a mark: counted with the slice's skipped records
        }
    }

    private void acceptRecord(ConsumerRecord<byte[], byte[]> r) {
        long p = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_PARTITION, -1);
        long src = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, Long.MIN_VALUE);
        if (r.key() == null || p < 0 || src == Long.MIN_VALUE) {
            skipped++;
            return;
        }
        String slice = StatecastHeaders.readString(r.headers(), StatecastHeaders.SLICE);
        replay(pair(r.partition(), (int) p)).accept(r.key(), r.value(), slice, src, r.timestamp());
    }

    private SliceReplay replay(String pair) {
        return replays.computeIfAbsent(pair, k -> {
            String[] qp = k.split("/");
            return new SliceReplay(
                    Integer.parseInt(qp[0]),
                    Integer.parseInt(qp[1]),
                    checksums.getOrDefault(k, List.of()),
                    comparability);
        });
    }

    private static String pair(int partition, int srcPartition) {
        return partition + "/" + srcPartition;
    }

    private SliceReport report(StateProjection state, int index) {
        int verified = 0;
        int notComparable = 0;
        List<SliceReport.Mismatch> mismatches = new ArrayList<>();
        Map<Bytes, Located> actual = new HashMap<>();
        List<String> differences = new ArrayList<>();
        for (SliceReplay r : replays.values()) {
            verified += r.verified();
            notComparable += r.notComparable();
            mismatches.addAll(r.mismatches());
            r.live().forEach((k, live) -> {
                Located before = actual.put(k, new Located(r.partition(), live));
                if (before != null) {
                    differences.add(
                            text(k) + " is live in slice partitions " + before.partition() + " and " + r.partition());
                }
            });
        }
        compare(state, index, actual, differences);
        return new SliceReport(
                definition.getName(),
                definition.getField(),
                verified,
                notComparable,
                List.copyOf(mismatches),
                differences.size(),
                List.copyOf(differences.subList(0, Math.min(EXAMPLES, differences.size()))),
                skipped);
    }

    private record Located(int partition, SliceReplay.Live live) {}

    private void compare(StateProjection state, int index, Map<Bytes, Located> actual, List<String> out) {
        state.live().forEach((k, e) -> {
            String v = e.slices()[index];
            Located a = actual.remove(k);
            if (v == null) {
                if (a != null) {
                    out.add(text(k) + " is in no slice but in slice partition " + a.partition() + " as '"
                            + a.live().slice() + "'");
                }
                return;
            }
            int q = SlicePartitioner.partitionOf(v, definition.getPartitions());
            if (a == null) {
                out.add(text(k) + " ('" + v + "') is missing from slice partition " + q);
            } else if (a.partition() != q || !v.equals(a.live().slice())) {
                out.add(text(k) + " ('" + v + "', partition " + q + ") is in slice partition " + a.partition() + " as '"
                        + a.live().slice() + "'");
            } else if (a.live().h0() != e.h0() || a.live().h1() != e.h1()) {
                out.add(text(k) + " ('" + v + "') has other bytes in the slice than in state");
            }
        });
        actual.forEach((k, a) -> out.add(text(k) + " is in slice partition " + a.partition() + " as '"
                + a.live().slice() + "' but not live in state"));
    }

    private static String text(Bytes k) {
        return "key '" + new String(k.get(), StandardCharsets.UTF_8) + "'";
    }
}
