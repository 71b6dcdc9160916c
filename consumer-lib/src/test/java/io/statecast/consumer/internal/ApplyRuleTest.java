package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import io.statecast.consumer.Change;
import io.statecast.consumer.ChangeMeta;
import io.statecast.schemas.demo.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The apply rule against a model: the log's live entries as read (what the materializer's digest adds
 * up) and, of them, what the view keeps. Operations: an upsert or a delete of one of 40 keys, pods
 * moving between three nodes.
 */
class ApplyRuleTest {
    private static final Predicate<Pod> ON_NODE_1 = pod -> "node-1".equals(pod.getNode());
    private static final UnaryOperator<Pod> RENAME =
            pod -> Pod.newBuilder(pod).setPodIp("10.0.0.1").build();
    private static final ChangeMeta META = new ChangeMeta(0, 0, 1, 0, false);

    @Property(tries = 200)
    void aViewKeepingEverythingHoldsTheLogsEntriesAndTheirDigest(
            @ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops, @ForAll boolean decodes) {
        Model m = run(new ApplyRule<>(null, null, Pods.CODEC, decodes), ops);
        assertEquals(decoded(m.log), Pods.stored(m.table));
        assertEquals(Pods.digestOf(m.log), m.table.digest.value());
        assertEquals(0, m.table.foreign.size());
    }

    @Property(tries = 200)
    void aFilteringViewKeepsWhatPassesAndStillAddsUpEveryEntryAsRead(
            @ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops) {
        Model m = run(new ApplyRule<>(ON_NODE_1, null, Pods.CODEC, true), ops);
        Map<String, Pod> kept = new TreeMap<>();
        decoded(m.log).forEach((k, v) -> {
            if (ON_NODE_1.test(v)) {
                kept.put(k, v);
            }
        });
        assertEquals(kept, Pods.stored(m.table));
        assertEquals(Pods.digestOf(m.log), m.table.digest.value(), "filtered-out entries count by their hash");
        assertEquals(m.log.size() - kept.size(), m.table.foreign.size(), "one hash per filtered-out entry");
    }

    @Property(tries = 200)
    void aTransformingViewStoresTheRewrittenValueAndAddsUpTheValuesAsRead(
            @ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops) {
        Model m = run(new ApplyRule<>(null, RENAME, Pods.CODEC, true), ops);
        Map<String, Pod> renamed = new TreeMap<>();
        decoded(m.log).forEach((k, v) -> renamed.put(k, RENAME.apply(v)));
        assertEquals(renamed, Pods.stored(m.table));
        assertEquals(Pods.digestOf(m.log), m.table.digest.value());
        assertEquals(m.log.size(), m.table.foreign.size(), "a transformed entry counts by the hash of what was read");
    }

    @Property(tries = 200)
    void aThrowingFilterOrTransformKeepsThatValueOutAsAFilterThatSaidNoWouldAndReportsEachThrow(
            @ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops, @ForAll boolean inTransform) {
        Predicate<Pod> bad = pod -> "node-2".equals(pod.getNode());
        Predicate<Pod> filter = pod -> {
            if (!inTransform && bad.test(pod)) {
                throw new IllegalStateException("filter bug");
            }
            return true;
        };
        UnaryOperator<Pod> transform = pod -> {
            if (bad.test(pod)) {
                throw new IllegalArgumentException("transform bug");
            }
            return RENAME.apply(pod);
        };
        List<String> reported = new java.util.ArrayList<>();
        ApplyRule<Pod> rule = new ApplyRule<>(
                filter, inTransform ? transform : null, Pods.CODEC, true, (cb, where, e) -> reported.add(cb));
        ApplyRule<Pod> saidNo = new ApplyRule<>(bad.negate(), inTransform ? RENAME : null, Pods.CODEC, true);
        Model m = run(rule, ops);
        Model expected = run(saidNo, ops);
        assertEquals(Pods.stored(expected.table), Pods.stored(m.table));
        assertEquals(Pods.digestOf(m.log), m.table.digest.value(), "every entry as read still adds up");
        long throwsExpected =
                ops.stream().filter(op -> op % 5 != 0 && (op / 7) % 3 == 2).count();
        assertEquals(throwsExpected, reported.size());
        reported.forEach(callback -> assertEquals(inTransform ? "transform" : "filter", callback));
    }

    @Property(tries = 200)
    void theChangeIsWhatTheViewHeldBeforeAndHoldsAfterOrNullWhenBothAreNothing(
            @ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops) {
        ApplyRule<Pod> rule = new ApplyRule<>(ON_NODE_1, null, Pods.CODEC, true);
        PartitionTable t = new PartitionTable(16);
        for (int op : ops) {
            String key = key(op);
            Pod before = Pods.stored(t).get(key);
            Change<Pod> c = apply(rule, t, op, new HashMap<>());
            Pod after = Pods.stored(t).get(key);
            if (before == null && after == null) {
                assertNull(c, "nothing the view held or holds: nobody hears of it");
            } else {
                assertNotNull(c);
                assertEquals(key, c.key());
                assertEquals(before, c.oldValue());
                assertEquals(after, c.newValue());
                assertEquals(META, c.meta());
            }
        }
    }

    @Property(tries = 100)
    void aTableOfEntriesAsReadFollowsAnotherDigestVersionInPlace(
            @ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops) {
        Model m = run(new ApplyRule<>(null, null, Pods.CODEC, false), ops);
        assertTrue(m.table.switchDigest(EntryHash.V1, 41, 1_000));
        Digest v1 = new Digest(EntryHash.V1);
        m.log.forEach((k, v) -> v1.add(Pods.key(k), v));
        assertEquals(v1.value(), m.table.digest.value());
        assertEquals(1, m.table.digest.version());
        assertEquals(v1.value(), m.table.history.at(41, 0).digest(), "the history starts at the switch");
        assertEquals(
                DigestHistory.Lookup.OUTSIDE_WINDOW, m.table.history.at(40, 0).lookup());
        // later records add up in the new version
        apply(new ApplyRule<>(null, null, Pods.CODEC, false), m.table, 7, m.log);
        Digest again = new Digest(EntryHash.V1);
        m.log.forEach((k, v) -> again.add(Pods.key(k), v));
        assertEquals(again.value(), m.table.digest.value());
    }

    @Property(tries = 50)
    void aTableHoldingHashesOnlyMustBeReadAgainInAnotherVersionAndComparesNothingMeanwhile(
            @ForAll List<@IntRange(min = 1, max = 100_000) Integer> ops) {
        Model m = run(new ApplyRule<>(ON_NODE_1, null, Pods.CODEC, true), ops);
        Assume.that(!m.table.foreign.isEmpty());
        assertFalse(m.table.switchDigest(EntryHash.V1, 41, 1_000));
        assertEquals(1, m.table.digest.version());
        assertEquals(
                DigestHistory.Lookup.OUTSIDE_WINDOW, m.table.history.at(41, 0).lookup());
    }

    @Property(tries = 50)
    void aViewThatDoesNotDecodeReportsNoChanges(@ForAll List<@IntRange(min = 0, max = 100_000) Integer> ops) {
        ApplyRule<Pod> rule = new ApplyRule<>(null, null, Pods.CODEC, false);
        PartitionTable t = new PartitionTable(16);
        for (int op : ops) {
            assertNull(apply(rule, t, op, new HashMap<>()));
        }
    }

    private record Model(PartitionTable table, Map<String, byte[]> log) {}

    private static Model run(ApplyRule<Pod> rule, List<Integer> ops) {
        PartitionTable t = new PartitionTable(16);
        Map<String, byte[]> log = new HashMap<>();
        for (int op : ops) {
            apply(rule, t, op, log);
        }
        return new Model(t, log);
    }

    // One operation: a delete (one in five) or an upsert of key op % 40 to a pod on node (op / 7) % 3.
    private static Change<Pod> apply(ApplyRule<Pod> rule, PartitionTable t, int op, Map<String, byte[]> log) {
        String key = key(op);
        if (op % 5 == 0) {
            log.remove(key);
            return rule.apply(t, Pods.key(key), null, null, rule.decodes() ? META : null);
        }
        Pod pod = Pods.pod(key, "node-" + (op / 7) % 3, op);
        byte[] raw = Pods.bytes(pod);
        log.put(key, raw);
        return rule.apply(t, Pods.key(key), raw, rule.decodes() ? pod : null, rule.decodes() ? META : null);
    }

    private static String key(int op) {
        return "pod-" + op % 40;
    }

    private static Map<String, Pod> decoded(Map<String, byte[]> log) {
        Map<String, Pod> out = new TreeMap<>();
        log.forEach((k, v) -> out.put(k, Pods.AVRO.decode(v)));
        return out;
    }
}
