package io.statecast.consumer.internal;

import io.statecast.consumer.Change;
import io.statecast.consumer.ChangeMeta;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * How one state record changes a partition's table. The filter decides what is kept, the transform what
 * is stored. The digest adds every entry exactly as read, as the materializer's does: a kept entry by
 * its bytes, any other (filtered out, or stored transformed) by its 16-byte hash, kept under the key's
 * fingerprint so that a later update or delete can subtract it. The result is the change indexes and
 * listeners hear of; null when nothing decodes values (no filter, transform, index or listener) or
 * nothing changed for them. A filter or transform that throws keeps that record out, as a filter that
 * said no would (its hash still counts, so the partition still verifies), and reports it.
 */
final class ApplyRule<V> {
    /** What the filter and transform made of a value: what to store, decoded and as bytes. */
    private record Shaped<V>(V value, byte[] bytes) {}

    private final Predicate<V> filter;
    private final UnaryOperator<V> transform;
    private final ValueCodec<V> codec;
    private final boolean decodes;
    private final CallbackFailures failures;

    /** A rule whose throwing callbacks throw on (tests of the rule alone). */
    ApplyRule(Predicate<V> filter, UnaryOperator<V> transform, ValueCodec<V> codec, boolean decodes) {
        this(filter, transform, codec, decodes, CallbackFailures.RETHROW);
    }

    /**
     * @param filter null: keep everything
     * @param transform null: store values as read
     * @param decodes whether values are decoded on apply (a filter, transform, index or listener needs them)
     * @param failures told when the filter or the transform throws
     */
    ApplyRule(
            Predicate<V> filter,
            UnaryOperator<V> transform,
            ValueCodec<V> codec,
            boolean decodes,
            CallbackFailures failures) {
        this.filter = filter;
        this.transform = transform;
        this.codec = codec;
        this.decodes = decodes;
        this.failures = failures;
    }

    /** Whether records are decoded on apply (else only their single-object header is checked). */
    boolean decodes() {
        return decodes;
    }

    /**
     * Applies an upsert ({@code raw} set) or a tombstone ({@code raw} null) of {@code key}.
     *
     * @param decoded the value inside {@code raw} when {@link #decodes()}, else null
     * @param meta where the record came from, for the change (null when not {@link #decodes()})
     */
    Change<V> apply(PartitionTable t, byte[] key, byte[] raw, V decoded, ChangeMeta meta) {
        if (raw != null && filter == null && transform == null && t.foreign.isEmpty()) {
            // The common case (every entry kept as read): one table probe, no wrapper for the foreign map.
            byte[] oldStored = t.entries.put(key, raw);
            if (oldStored != null) {
                t.digest.remove(key, oldStored);
            }
            t.digest.add(key, raw);
            return change(
                    key, oldStored != null && decodes ? codec.decodeStored(oldStored, true) : null, decoded, meta);
        }
        long[] foreign = t.foreign.isEmpty() ? null : t.foreign.remove(key); // reused array: read at once
        byte[] oldStored = t.entries.get(key);
        if (foreign != null) {
            t.digest.removeHash(foreign[0], foreign[1]);
        } else if (oldStored != null) {
            t.digest.remove(key, oldStored);
        }
        V oldValue = oldStored != null && decodes ? codec.decodeStored(oldStored, foreign == null) : null;
        if (raw == null) {
            return removed(t, key, oldStored, oldValue, meta);
        }
        Shaped<V> stored = shape(key, raw, decoded, meta);
        boolean keep = stored != null;
        if (!keep || transform != null) {
            long[] h = t.digest.entryHash().of(key, raw);
            t.foreign.put(key, h[0], h[1]);
            t.digest.addHash(h[0], h[1]);
        } else {
            t.digest.add(key, raw);
        }
        if (!keep) {
            return removed(t, key, oldStored, oldValue, meta);
        }
        t.entries.put(key, stored.bytes());
        return change(key, oldValue, stored.value(), meta);
    }

    // User code: a throw (or a transform that cannot be stored) keeps the record out, reported, instead of
    // failing the view. Null: kept out.
    private Shaped<V> shape(byte[] key, byte[] raw, V decoded, ChangeMeta meta) {
        String step = "filter";
        try {
            if (filter != null && !filter.test(decoded)) {
                return null;
            }
            if (transform == null) {
                return new Shaped<>(decoded, raw);
            }
            step = "transform";
            V out = transform.apply(decoded);
            if (out == null) {
                throw new NullPointerException("the transform returned null");
            }
            return new Shaped<>(out, codec.encodeStored(out));
        } catch (RuntimeException e) {
            failures.failed(step, where(key, meta), e);
            return null;
        }
    }

    private static String where(byte[] key, ChangeMeta meta) {
        String k = "key " + new String(key, StandardCharsets.UTF_8);
        return meta == null ? k : k + " (partition " + meta.partition() + ", offset " + meta.offset() + ")";
    }

    // A delete, or an update the filter drops: the entry leaves the table (a change only if it was there).
    private Change<V> removed(PartitionTable t, byte[] key, byte[] oldStored, V oldValue, ChangeMeta meta) {
        if (oldStored == null) {
            return null;
        }
        t.entries.remove(key);
        return change(key, oldValue, null, meta);
    }

    private Change<V> change(byte[] key, V oldValue, V newValue, ChangeMeta meta) {
        return decodes ? new Change<>(new String(key, StandardCharsets.UTF_8), oldValue, newValue, meta) : null;
    }

    /**
     * Sizes a partition's table before a bootstrap for the log's records (a compacted log holds about one
     * per key), saving every resize; a dirtier log is trimmed when the bootstrap ends. A filtering view (a
     * node agent) keeps few entries and a hash of nearly every other key: it sizes those instead.
     */
    void presize(PartitionTable t, int records) {
        if (filter == null) {
            t.entries.ensureCapacity(records);
        } else {
            t.foreign.ensureCapacity(records);
        }
    }
}
