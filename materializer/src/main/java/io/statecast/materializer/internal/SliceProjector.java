package io.statecast.materializer.internal;

import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of the apply processor that keeps every slice an exact projection of one source
 * partition's table. For each accepted change it writes the entity to the partition of its new slice
 * value and, when the value changed, the entity was deleted or the field became null, a tombstone to
 * the old value's partition; it keeps one digest per slice value and emits the slice checksums and
 * progress marks ({@link SliceMarks}). A slice added while the table holds data is back-filled a batch
 * per tick. Everything it forwards is part of the task's exactly-once transaction.
 */
public final class SliceProjector {
    private static final Logger log = LoggerFactory.getLogger(SliceProjector.class);
    private final SliceSettings settings;
    private final Map<String, SliceState> states = new LinkedHashMap<>();
    private ProcessorContext<byte[], Routed> context;
    private KeyValueStore<Bytes, byte[]> table;
    private KeyValueStore<Bytes, byte[]> store;
    private LongSupplier lastSrcOffset;
    private int partition;
    private SliceMarks marks;
    private SizeLimits limits;

    public SliceProjector(SliceSettings settings) {
        this.settings = settings;
    }

    /** Called from the apply processor's init (again on a revived task): loads the slices' rows, schedules the tick. */
    void init(
            ProcessorContext<byte[], Routed> context,
            KeyValueStore<Bytes, byte[]> table,
            LongSupplier lastSrcOffset,
            SizeLimits limits) {
        this.context = context;
        this.limits = limits;
        this.table = table;
        this.store = context.getStateStore(TopologyNames.SLICES_STORE);
        this.lastSrcOffset = lastSrcOffset;
        this.partition = context.taskId().partition();
        this.marks = new SliceMarks(context, partition, settings);
        // A task closed dirty is revived on these same instances (init again over stores restored to the last
        // commit): what the aborted work counted in memory must go, and every slice be loaded from the store.
        states.clear();
        activate();
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /** Projects one accepted change: {@code oldValue}/{@code newValue} are state record values, null when absent. */
    void onApplied(byte[] key, byte[] oldValue, byte[] newValue, long version, long srcOffset) {
        for (SliceState s : states.values()) {
            if (s.covers(key)) {
                project(s, key, oldValue, newValue, version, srcOffset);
            }
        }
    }

    /**
     * Why a slice record of this accepted change would not fit its slice topic (null when every one fits):
     * the change is then rejected before anything is written. Tombstones carry no value and always fit.
     */
    String oversized(byte[] key, byte[] newValue, long version, long srcOffset, SizeLimits sizes) {
        if (newValue == null) {
            return null;
        }
        for (SliceState s : states.values()) {
            String v = s.covers(key) ? sliceValue(s, newValue) : null;
            String tooLarge = v == null
                    ? null
                    : sizes.check(
                            s.slice.topic(),
                            "the record of slice " + s.slice.name(),
                            key,
                            newValue,
                            headers(version, srcOffset, v));
            if (tooLarge != null) {
                return tooLarge;
            }
        }
        return null;
    }

    private void project(SliceState s, byte[] key, byte[] oldValue, byte[] newValue, long version, long srcOffset) {
        String oldSlice = oldValue == null ? null : sliceValue(s, oldValue);
        String newSlice =
                newValue == null ? null : fitting(s, key, newValue, sliceValue(s, newValue), version, srcOffset);
        if (oldSlice != null) {
            s.count(oldSlice, key, oldValue, -1);
            if (!oldSlice.equals(newSlice)) {
                emit(s, key, null, oldSlice, version, srcOffset);
            }
        }
        if (newSlice != null) {
            s.count(newSlice, key, newValue, +1);
            emit(s, key, newValue, newSlice, version, srcOffset);
        }
    }

    // A value that cannot be read (it was accepted, so this should not happen) is in no slice, and
    // counted: never a stream thread that fails on every retry of the same record.
    private String sliceValue(SliceState s, byte[] stateValue) {
        try {
            return s.slice.reader().readStateRecord(stateValue);
        } catch (StatecastException e) {
            if (settings.counters().sliceUnreadable() < 10) {
                log.warn(
                        "[materializer] slice {}: cannot read the field of a value: {}",
                        s.slice.name(),
                        e.getMessage());
            }
            settings.counters().countSliceUnreadable();
            return null;
        }
    }

    // A live change whose slice record would not fit was rejected before; a row back-filled into a slice
    // whose topic takes less than the state topic cannot be: it is put in no slice, counted, never a task
    // that fails on every retry.
    private String fitting(SliceState s, byte[] key, byte[] value, String sliceValue, long version, long srcOffset) {
        if (sliceValue == null || !limits.mayExceed(key.length + 2L * value.length)) {
            return sliceValue;
        }
        String tooLarge =
                limits.check(s.slice.topic(), "the slice record", key, value, headers(version, srcOffset, sliceValue));
        if (tooLarge == null) {
            return sliceValue;
        }
        log.warn("[materializer] slice {}: a back-filled entity is put in no slice: {}", s.slice.name(), tooLarge);
        settings.counters().sliceOversized.increment();
        return null;
    }

    private Headers headers(long version, long srcOffset, String sliceValue) {
        return new RecordHeaders()
                .add(StatecastHeaders.VERSION, StatecastHeaders.encodeLong(version))
                .add(StatecastHeaders.SRC_PARTITION, StatecastHeaders.encodeLong(partition))
                .add(StatecastHeaders.SRC_OFFSET, StatecastHeaders.encodeLong(srcOffset))
                .add(StatecastHeaders.SLICE, sliceValue.getBytes(StandardCharsets.UTF_8));
    }

    private void emit(SliceState s, byte[] key, byte[] value, String sliceValue, long version, long srcOffset) {
        int q = s.slice.partitionOf(sliceValue);
        Headers h = headers(version, srcOffset, sliceValue);
        context.forward(
                new Record<>(
                        key,
                        new Routed(q, value, s.slice.topic()),
                        settings.clock().millis(),
                        h),
                TopologyNames.SLICES_SINK);
        s.wrote(q, srcOffset);
        settings.counters().sliceRecords.increment();
    }

    private void tick(long now) {
        activate();
        for (SliceState s : states.values()) {
            if (!s.backfilled) {
                backfill(s);
            }
        }
        marks.tick(now, states.values(), lastSrcOffset.getAsLong());
    }

    // Slices added while running: picked up at the next tick. Their back-fill starts at the first key.
    private void activate() {
        List<ActiveSlice> active = settings.slices().get();
        for (ActiveSlice a : active) {
            if (!states.containsKey(a.name())) {
                SliceState s = SliceState.load(a, store);
                limits.limit(a.topic()); // known before its first record, so mayExceed counts it
                if (!s.backfilled && s.cursor == null && tableEmpty()) {
                    s.backfillReached(null, true); // a new namespace: nothing to back-fill
                }
                states.put(a.name(), s);
            }
        }
    }

    private boolean tableEmpty() {
        try (KeyValueIterator<Bytes, byte[]> it = table.all()) {
            return !it.hasNext();
        }
    }

    // Projects the next batch of live rows as creates, with srcOffset = the last processed offset: each
    // reflects every change of its key up to there. Live changes of keys past the cursor are left to it.
    private void backfill(SliceState s) {
        long src = lastSrcOffset.getAsLong();
        Bytes from = s.cursor == null ? null : Bytes.wrap(s.cursor);
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = table.range(from, null)) {
            while (it.hasNext()) {
                var kv = it.next();
                byte[] key = kv.key.get();
                if (s.cursor != null && Bytes.BYTES_LEXICO_COMPARATOR.compare(key, s.cursor) <= 0) {
                    continue;
                }
                if (n == settings.backfillBatch()) {
                    return; // the finally block stores the cursor
                }
                TableEntry e = TableEntry.decode(kv.value);
                if (e.live()) {
                    project(s, key, null, e.value(), e.version(), src);
                }
                s.cursor = key;
                n++;
            }
        } finally {
            s.backfillReached(s.cursor, false); // stored once per batch, not per row
        }
        s.backfillReached(s.cursor, true);
        log.info("[materializer] partition {}: slice {} back-filled", partition, s.slice.name());
    }
}
