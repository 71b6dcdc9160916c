package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.consumer.Change;
import io.statecast.consumer.ChangeMeta;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies one poll's state records of one partition, in offset order: decodes each (or checks its
 * header), applies it by the {@link ApplyRule}, advances the partition's marks and appends its digest
 * history. It touches that partition only and returns what the view must count and tell, so that
 * partitions can be applied side by side. In a slice view a record whose {@code sc.slice} is not one
 * of the view's values is not stored: it deletes the key when the view holds it (the entity moved to
 * another value, or its tombstone was cleaned away) and otherwise only advances the marks and the
 * history, undecoded.
 */
final class PartitionWriter<V> {
    /** A record that was not applied, and why (counted and logged by the view). */
    record Skip(ConsumerRecord<byte[], byte[]> record, String reason) {}

    /** What applying a batch did: records applied, bytes fetched, skips, changes in order. */
    record Batch<V>(int applied, long fetchedBytes, List<Skip> skipped, List<Change<V>> changes) {}

    private final ApplyRule<V> rule;
    private final ValueCodec<V> codec;
    private final boolean namespace;
    private final boolean verifying;
    private final SliceSelection slice;

    /**
     * @param namespace whether records carry version and srcOffset headers (a namespace's state topic)
     * @param verifying whether to keep the digest history checksums are compared with
     * @param slice the slice a slice view keeps values of; null for other views
     */
    PartitionWriter(
            ApplyRule<V> rule, ValueCodec<V> codec, boolean namespace, boolean verifying, SliceSelection slice) {
        this.rule = rule;
        this.codec = codec;
        this.namespace = namespace;
        this.verifying = verifying;
        this.slice = slice;
    }

    ApplyRule<V> rule() {
        return rule;
    }

    /** Resolves the records' writer schemas before they are applied under the view's lock (see ValueCodec). */
    void prepare(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() != null) {
                codec.prepare(r.value());
            }
        }
    }

    /**
     * @param initial whether the view is still bootstrapping (the changes' {@code initial} flag)
     * @param nowMs when the records were read, for the history's compaction check
     */
    Batch<V> apply(Partition p, List<ConsumerRecord<byte[], byte[]>> records, boolean initial, long nowMs) {
        int applied = 0;
        long bytes = 0;
        List<Skip> skipped = List.of();
        List<Change<V>> changes = rule.decodes() ? new ArrayList<>(records.size()) : List.of();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            bytes += r.serializedValueSize() + Math.max(0, r.serializedKeySize());
            p.progress.read(r.serializedValueSize());
            if (slice != null && r.key() != null && !kept(r)) {
                if (p.table.holds(r.key())) { // the entity leaves the view: a delete, listeners hear the old value
                    applied++;
                    changes = add(changes, apply(p, r, null, null, initial, nowMs));
                } else {
                    passOver(p, r, nowMs);
                }
                continue;
            }
            V decoded;
            try {
                decoded = decode(r);
            } catch (StatecastException e) {
                skipped = skipped.isEmpty() ? new ArrayList<>(1) : skipped;
                skipped.add(new Skip(r, e.getMessage()));
                continue;
            }
            Change<V> c = apply(p, r, r.value(), decoded, initial, nowMs);
            applied++;
            changes = add(changes, c);
        }
        return new Batch<>(applied, bytes, skipped, changes);
    }

    private static <V> List<Change<V>> add(List<Change<V>> changes, Change<V> c) {
        if (c != null) {
            changes.add(c);
        }
        return changes;
    }

    // A slice record the view keeps: a value of one of its slice values (tombstones are never kept).
    private boolean kept(ConsumerRecord<byte[], byte[]> r) {
        return r.value() != null && slice.keeps(StatecastHeaders.readString(r.headers(), StatecastHeaders.SLICE));
    }

    // A record of another value (or its tombstone) about a key the view does not hold, never decoded:
    // only the position in changes and the history advance.
    private void passOver(Partition p, ConsumerRecord<byte[], byte[]> r, long nowMs) {
        long src = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1);
        p.marks.applied(src);
        if (verifying) {
            p.table.history.record(src, r.timestamp(), nowMs, p.table.digest);
        }
    }

    /** @param value the record's value as applied: null for a tombstone or an entity leaving a slice view */
    private Change<V> apply(
            Partition p, ConsumerRecord<byte[], byte[]> r, byte[] value, V decoded, boolean initial, long nowMs) {
        long version = namespace ? StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1) : -1;
        long src = namespace ? StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_OFFSET, -1) : -1;
        ChangeMeta meta = rule.decodes() ? new ChangeMeta(r.partition(), r.offset(), version, src, initial) : null;
        Change<V> c = rule.apply(p.table, r.key(), value, decoded, meta);
        p.marks.applied(src);
        if (verifying) {
            p.table.history.record(src, r.timestamp(), nowMs, p.table.digest);
        }
        return c;
    }

    // A record without a key, or undecodable bytes: a StatecastException, the record is skipped, never applied.
    private V decode(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            throw new StatecastException("null key");
        }
        byte[] value = r.value();
        if (value == null) {
            return null;
        }
        if (rule.decodes()) {
            return codec.decodeRead(value);
        }
        codec.checkHeader(value);
        return null;
    }
}
