package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Digest;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.RejectionReason;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The chaos suite's independent model: the documented rules applied to the producers' receipts in the
 * order of {@code changes}, and the checks of the state log, the history, the rejections and the
 * checksums against it.
 */
final class ChaosModel {
    static final int PARTITIONS = 6;

    /** One change as sent: what the model needs, and the receipt that says where it landed. */
    record Sent(Op op, String key, byte[] payload, Long expected, CompletableFuture<Receipt> receipt) {}

    /** What the model says of one change of {@code changes}. */
    record Outcome(String key, Op op, byte[] payload, long version, RejectionReason rejected, boolean noop) {}

    private ChaosModel() {}

    // ---- the independent model: the documented rules, applied in the order of changes ----

    @SuppressWarnings("unchecked")
    static Map<Long, Outcome>[] model(List<Sent> all) {
        Map<Long, Sent>[] byOffset = new TreeMap[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            byOffset[p] = new TreeMap<>();
        }
        for (Sent s : all) {
            Receipt r = s.receipt().join();
            byOffset[r.partition()].put(r.offset(), s);
        }
        Map<Long, Outcome>[] out = new Map[PARTITIONS];
        Map<String, Long> version = new HashMap<>(); // kept across deletes
        Map<String, byte[]> payload = new HashMap<>(); // live keys only
        for (int p = 0; p < PARTITIONS; p++) {
            out[p] = new TreeMap<>();
            for (Map.Entry<Long, Sent> e : byOffset[p].entrySet()) {
                Sent s = e.getValue();
                long v = version.getOrDefault(s.key(), 0L);
                boolean exists = payload.containsKey(s.key());
                RejectionReason refused = null;
                if (s.op() == Op.DELETE && !exists) {
                    refused = RejectionReason.DELETE_OF_ABSENT_KEY;
                } else if (s.expected() != null && s.expected() != (exists ? v : 0)) {
                    refused = RejectionReason.VERSION_CONFLICT;
                }
                if (refused != null) {
                    out[p].put(e.getKey(), new Outcome(s.key(), s.op(), s.payload(), v, refused, false));
                } else if (s.op() == Op.UPSERT && exists && Arrays.equals(payload.get(s.key()), s.payload())) {
                    out[p].put(e.getKey(), new Outcome(s.key(), s.op(), s.payload(), v, null, true));
                } else {
                    version.put(s.key(), v + 1);
                    if (s.op() == Op.DELETE) {
                        payload.remove(s.key());
                    } else {
                        payload.put(s.key(), s.payload());
                    }
                    out[p].put(e.getKey(), new Outcome(s.key(), s.op(), s.payload(), v + 1, null, false));
                }
            }
        }
        return out;
    }

    static Map<String, Outcome> liveTable(Map<Long, Outcome>[] model) {
        Map<String, Outcome> live = new HashMap<>();
        for (Map<Long, Outcome> m : model) {
            for (Outcome o : m.values()) { // offset order within a partition; a key lives in one partition
                if (o.rejected() == null && !o.noop()) {
                    if (o.op() == Op.DELETE) {
                        live.remove(o.key());
                    } else {
                        live.put(o.key(), o);
                    }
                }
            }
        }
        return live;
    }

    // History: every record is an accepted change of the model (same key, op, version, payload), each at
    // most once; every accepted change is there; per key the versions run 1, 2, 3… Returns {duplicates, gaps}.
    static int[] checkHistory(List<ConsumerRecord<byte[], byte[]>> history, Map<Long, Outcome>[] model) {
        int duplicates = 0;
        int gaps = 0;
        Map<String, Long> lastVersion = new HashMap<>();
        Map<Integer, Set<Long>> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : history) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            long version = StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1);
            long src = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
            if (!seen.computeIfAbsent(r.partition(), x -> new HashSet<>()).add(src)) {
                duplicates++;
                continue;
            }
            Outcome o = model[r.partition()].get(src);
            assertTrue(
                    o != null && o.rejected() == null && !o.noop(),
                    "history holds a change the model did not accept: " + key + " at " + r.partition() + "/" + src
                            + " → " + o);
            assertEquals(o.key(), key, "key of history record " + r.partition() + "/" + src);
            assertEquals(o.version(), version, "version of " + key + " at " + r.partition() + "/" + src);
            if (o.op() == Op.DELETE) {
                assertEquals(null, r.value(), "a delete is a tombstone: " + key);
            } else {
                assertTrue(
                        Arrays.equals(
                                o.payload(),
                                bytes(Envelopes.stateRecord().decode(r.value()).getPayload())),
                        "payload of " + key);
            }
            if (version != lastVersion.getOrDefault(key, 0L) + 1) {
                gaps++;
            }
            lastVersion.put(key, version);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            Set<Long> got = seen.getOrDefault(p, Set.of());
            for (Map.Entry<Long, Outcome> e : model[p].entrySet()) {
                if (e.getValue().rejected() == null && !e.getValue().noop()) {
                    assertTrue(
                            got.contains(e.getKey()),
                            "accepted change lost: " + p + "/" + e.getKey() + " " + e.getValue());
                }
            }
        }
        assertEquals(0, duplicates, "duplicated history records");
        assertEquals(0, gaps, "version gaps");
        return new int[] {duplicates, gaps};
    }

    static int checkRejections(List<ConsumerRecord<byte[], byte[]>> rejections, Map<Long, Outcome>[] model) {
        int duplicates = 0;
        Map<Integer, Set<Long>> seen = new HashMap<>();
        Map<RejectionReason, Integer> byReason = new EnumMap<>(RejectionReason.class);
        for (ConsumerRecord<byte[], byte[]> r : rejections) {
            Rejection rej = Envelopes.rejection().decode(r.value());
            if (!seen.computeIfAbsent(rej.getPartition(), x -> new HashSet<>()).add(rej.getOffset())) {
                duplicates++;
                continue;
            }
            Outcome o = model[rej.getPartition()].get(rej.getOffset());
            assertTrue(o != null, "rejection of a change nobody sent: " + rej);
            assertEquals(
                    o.rejected(),
                    rej.getReason(),
                    "reason for " + rej.getPartition() + "/" + rej.getOffset() + " " + o);
            byReason.merge(rej.getReason(), 1, Integer::sum);
        }
        Map<RejectionReason, Integer> expected = new EnumMap<>(RejectionReason.class);
        for (Map<Long, Outcome> m : model) {
            m.values().stream()
                    .filter(o -> o.rejected() != null)
                    .forEach(o -> expected.merge(o.rejected(), 1, Integer::sum));
        }
        assertEquals(expected, byReason, "refused changes by reason (each exactly once)");
        assertEquals(0, duplicates, "duplicated rejections");
        return duplicates;
    }

    // The last checksum of each partition covers its last change and equals the digest of the state log.
    static void checkChecksumsAgainstLog(
            KafkaFixture kafka, Namespace ns, List<ConsumerRecord<byte[], byte[]>> state, Map<Integer, Receipt> last) {
        Map<Integer, Checksum> latest = latestChecksums(kafka, ns);
        for (int p = 0; p < PARTITIONS; p++) {
            Map<String, byte[]> t = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : state) {
                if (r.partition() == p) {
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        t.remove(k);
                    } else {
                        t.put(k, r.value());
                    }
                }
            }
            Digest d = new Digest();
            t.forEach((k, v) -> d.add(k.getBytes(StandardCharsets.UTF_8), v));
            Checksum c = latest.get(p);
            assertTrue(
                    c != null && c.getSrcOffset() >= last.get(p).offset(),
                    "a checksum covers partition " + p + ": " + c);
            assertTrue(
                    d.value().matches(c.getCount(), c.getLanes()),
                    "checksum of partition " + p + " = digest of the log: " + c + " vs " + d);
        }
    }

    static Map<Integer, Checksum> latestChecksums(KafkaFixture kafka, Namespace ns) {
        Map<Integer, Checksum> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.checksums())) {
            if (Envelopes.decodeChecksumsValue(r.value()) instanceof Checksum c) {
                latest.merge(c.getPartition(), c, (x, y) -> y.getSrcOffset() >= x.getSrcOffset() ? y : x);
            }
        }
        return latest;
    }

    static void awaitChecksumsCovering(KafkaFixture kafka, Namespace ns, Map<Integer, Receipt> last, Duration timeout) {
        Conditions.waitFor("checksums covering every partition's last change", timeout, () -> {
            Map<Integer, Checksum> latest = latestChecksums(kafka, ns);
            return last.entrySet().stream()
                    .allMatch(e -> latest.containsKey(e.getKey())
                            && latest.get(e.getKey()).getSrcOffset()
                                    >= e.getValue().offset());
        });
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
