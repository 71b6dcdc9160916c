package io.statecast.materializer.internal;

import io.statecast.common.Digest;
import io.statecast.common.EntryHash;
import io.statecast.common.RecordDecodingException;
import io.statecast.common.SchemaNotFoundException;
import io.statecast.common.StatecastException;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.StateRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the changes of one {@code changes} partition, in offset order, to the table: validates,
 * assigns versions, updates the partition digest with exactly the bytes written, and forwards state
 * records, history, rejections, progress marks and checksums. Everything it forwards, punctuators
 * included, is part of the task's exactly-once transaction.
 */
public final class ApplyProcessor implements Processor<byte[], byte[], byte[], Routed> {
    private static final Logger log = LoggerFactory.getLogger(ApplyProcessor.class);
    /** How often deleted rows are swept ({@link DeletedRows}). */
    private static final long SWEEP_INTERVAL_MS = 1000;

    private final Settings settings;
    private final SliceProjector slices;
    private ProcessorContext<byte[], Routed> context;
    private KeyValueStore<Bytes, byte[]> table;
    private KeyValueStore<Integer, byte[]> metaStore;
    private PartitionMeta meta;
    private int partition;
    private long lastChecksumAt;
    private long seenRequest;
    private DeletedRows deleted;
    private long lastSweepAt;

    public ApplyProcessor(Settings settings, SliceProjector slices) {
        this.settings = settings;
        this.slices = slices;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        settings.partitions().checkTask(partition); // a partition added while running: keys would move here
        this.table = context.getStateStore(TopologyNames.TABLE_STORE);
        this.metaStore = context.getStateStore(TopologyNames.META_STORE);
        byte[] stored = metaStore.get(partition);
        if (stored == null && settings.partitions().populated(partition)) {
            // Rebuilt before start (StoreRebuild); still none means the changelog was lost meanwhile.
            throw new StatecastException("Partition " + partition + " of the state log holds records but the"
                    + " materializer's store holds none for it; restart the materializer so that it rebuilds"
                    + " the store from the state log");
        }
        this.meta = stored == null ? PartitionMeta.empty(settings.timing().digest()) : PartitionMeta.decode(stored);
        this.lastChecksumAt = settings.timing().clock().millis();
        this.seenRequest = settings.requests().current();
        this.deleted =
                new DeletedRows(table, settings.timing().deleteRetention().toMillis(), SWEEP_INTERVAL_MS);
        this.lastSweepAt = lastChecksumAt;
        context.schedule(settings.timing().tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
        slices.init(
                context, table, () -> meta.lastSrcOffset, settings.payloads().limits());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        convertDigestIfNeeded();
        RecordMetadata md = context.recordMetadata().orElseThrow();
        if (md.offset() <= meta.lastSrcOffset) {
            settings.counters().reprocessed.increment(); // applied before the store was rebuilt: not again
            return;
        }
        meta.lastSrcOffset = md.offset();
        Validation.Outcome outcome = validate(record, md);
        if (outcome.rejected()) {
            reject(record, md, outcome);
        } else if (outcome.replay()) {
            settings.counters().replays.increment(); // a captured change already applied: no new version
        } else if (outcome.change() != null) {
            apply(record, outcome.change(), outcome.current(), md);
        }
        metaStore.put(partition, meta.encode());
    }

    private Validation.Outcome validate(Record<byte[], byte[]> record, RecordMetadata md) {
        Validation.Outcome early = Validation.checkRaw(
                record.key(), record.value(), settings.payloads().maxBytes());
        if (early != null) {
            return early;
        }
        String misplaced = settings.partitions().misplaced(record.key(), md.partition());
        if (misplaced != null) {
            return Validation.Outcome.reject(RejectionReason.INVALID, misplaced, null);
        }
        ChangeEvent change;
        try {
            change = Envelopes.changeEvent().decode(record.value());
        } catch (SchemaNotFoundException e) {
            return Validation.Outcome.reject(RejectionReason.UNKNOWN_SCHEMA, "ChangeEvent: " + e.getMessage(), null);
        } catch (RecordDecodingException e) {
            return Validation.Outcome.reject(RejectionReason.UNDECODABLE, "ChangeEvent: " + e.getMessage(), null);
        }
        byte[] current = table.get(Bytes.wrap(record.key()));
        TableEntry entry = current == null ? null : TableEntry.decode(current);
        return Validation.check(change, entry, settings.payloads().validator());
    }

    private void apply(Record<byte[], byte[]> record, ChangeEvent change, TableEntry current, RecordMetadata md) {
        byte[] key = record.key();
        boolean live = current != null && current.live();
        if (change.getOp() == Op.UPSERT && live && samePayload(current.value(), change.getPayload())) {
            settings.counters().noops.increment(); // no-op suppression: nothing emitted
            return;
        }
        // A key the table does not hold (never seen, or its deleted row purged) starts above the floor.
        long version = (current == null ? meta.versionFloor : current.version()) + 1;
        byte[] value = change.getOp() == Op.DELETE ? null : stateValue(change, version, md);
        Headers headers = stateHeaders(version, md, change);
        byte[] old = live ? current.value() : null;
        String tooLarge = oversized(key, old, value, headers, version, md.offset());
        if (tooLarge != null) {
            reject(record, md, Validation.Outcome.reject(RejectionReason.TOO_LARGE, tooLarge, current));
            return;
        }
        SourceOrder source = SourceOrder.of(change.getSource());
        if (source == null && current != null) {
            source = current.source(); // a change through the producer API keeps the key's last source order
        }
        if (live) {
            meta.digest.remove(key, current.value());
        }
        if (value != null) {
            meta.digest.add(key, value);
        }
        long deletedAt = value == null ? settings.timing().clock().millis() : -1;
        table.put(Bytes.wrap(key), new TableEntry(version, value, source, deletedAt).encode());
        if (value == null) {
            deleted.recorded(deletedAt); // the sweep reads the table only when a deleted row may be due
        }
        emitState(key, value, headers, md);
        slices.onApplied(key, old, value, version, md.offset());
        meta.coveredSrcOffset = md.offset();
        meta.stateSrcOffset = md.offset();
        settings.counters().accepted.increment();
    }

    private byte[] stateValue(ChangeEvent change, long version, RecordMetadata md) {
        return Envelopes.stateRecord()
                .encode(StateRecord.newBuilder()
                        .setPayload(change.getPayload())
                        .setVersion(version)
                        .setUpdatedAt(settings.timing().clock().instant())
                        .setOriginPartition(md.partition())
                        .setOriginOffset(md.offset())
                        .setProducerId(change.getProducerId())
                        .setTraceId(change.getTraceId())
                        .build());
    }

    // Every record an accepted change would write, sized before anything is forwarded or stored: one that
    // does not fit its topic would fail the exactly-once task again on every retry of this offset.
    private String oversized(byte[] key, byte[] old, byte[] value, Headers headers, long version, long srcOffset) {
        SizeLimits limits = settings.payloads().limits();
        if (!limits.mayExceed(key.length + 2L * (value == null ? 0 : value.length))) {
            return null;
        }
        String tooLarge = limits.check(limits.state(), "the state record", key, value, headers);
        if (tooLarge == null && settings.history()) {
            tooLarge = limits.check(limits.history(), "the history record", key, value, headers);
        }
        return tooLarge != null ? tooLarge : slices.oversized(key, value, version, srcOffset, limits);
    }

    static boolean samePayload(byte[] currentStateValue, ByteBuffer payload) {
        // Read in place for the current StateRecord schema: no decode of the whole record per upsert.
        return Envelopes.payloadOfStateRecord(currentStateValue).equals(payload);
    }

    private static Headers stateHeaders(long version, RecordMetadata md, ChangeEvent change) {
        Headers headers = new RecordHeaders()
                .add(StatecastHeaders.VERSION, StatecastHeaders.encodeLong(version))
                .add(StatecastHeaders.SRC_OFFSET, StatecastHeaders.encodeLong(md.offset()))
                .add(
                        StatecastHeaders.PRODUCER_ID,
                        change.getProducerId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SourceHeaders.add(headers, change.getSource());
        return headers;
    }

    private void emitState(byte[] key, byte[] value, Headers headers, RecordMetadata md) {
        long now = settings.timing().clock().millis();
        context.forward(new Record<>(key, new Routed(md.partition(), value), now, headers), TopologyNames.STATE_SINK);
        if (settings.history()) {
            context.forward(
                    new Record<>(key, new Routed(md.partition(), value), now, headers), TopologyNames.HISTORY_SINK);
        }
    }

    private void reject(Record<byte[], byte[]> record, RecordMetadata md, Validation.Outcome outcome) {
        byte[] raw = record.value();
        if (outcome.reason() == RejectionReason.TOO_LARGE && raw != null) {
            raw = Arrays.copyOf(raw, Math.min(raw.length, Validation.TOO_LARGE_KEPT_BYTES));
        }
        Rejections.Fitted r = Rejections.fitting(
                outcome,
                md,
                record.key(),
                raw,
                settings.timing().clock(),
                settings.payloads().limits().rejections());
        context.forward(
                new Record<>(
                        r.key(),
                        new Routed(-1, r.value()),
                        settings.timing().clock().millis()),
                TopologyNames.REJECTIONS_SINK);
        settings.counters().rejected(outcome.reason());
    }

    // Wall-clock tick: progress marks when the log moved past the last state record, checksums on
    // their interval or on demand.
    private void tick(long now) {
        convertDigestIfNeeded();
        if (now - lastSweepAt >= SWEEP_INTERVAL_MS) {
            sweepDeleted(now);
        }
        long request = settings.requests().current();
        boolean due =
                now - lastChecksumAt >= settings.timing().checksumInterval().toMillis() || request != seenRequest;
        if (due) {
            emitChecksum(now);
            seenRequest = request;
        } else if (meta.lastSrcOffset > meta.coveredSrcOffset) {
            emitProgress(now);
        }
    }

    private void emitChecksum(long now) {
        Digest d = meta.digest;
        byte[] value = Envelopes.checksum()
                .encode(io.statecast.schemas.Checksum.newBuilder()
                        .setPartition(partition)
                        .setSrcOffset(meta.lastSrcOffset)
                        .setCount(d.count())
                        .setDigestVersion(d.version())
                        .setLanes(d.value().lanes())
                        .setEmittedAt(java.time.Instant.ofEpochMilli(now))
                        .build());
        context.forward(
                new Record<>(key(partition), new Routed(partition, value), now, markHeaders()),
                TopologyNames.CHECKSUMS_SINK);
        meta.coveredSrcOffset = meta.lastSrcOffset;
        metaStore.put(partition, meta.encode());
        lastChecksumAt = now;
        settings.counters().checksums.increment();
    }

    private void emitProgress(long now) {
        byte[] value = Envelopes.progress()
                .encode(io.statecast.schemas.Progress.newBuilder()
                        .setPartition(partition)
                        .setSrcOffset(meta.lastSrcOffset)
                        .setEmittedAt(java.time.Instant.ofEpochMilli(now))
                        .build());
        context.forward(
                new Record<>(key(partition), new Routed(partition, value), now, markHeaders()),
                TopologyNames.CHECKSUMS_SINK);
        meta.coveredSrcOffset = meta.lastSrcOffset;
        metaStore.put(partition, meta.encode());
        settings.counters().progress.increment();
    }

    // Purged rows raise the floor; a mark in the same transaction carries it, so that a rebuild of the store
    // from the state log (where the purged keys' tombstones go next) knows it.
    private void sweepDeleted(long now) {
        lastSweepAt = now;
        long before = deleted.purged();
        long floor = deleted.sweep(settings.timing().clock().millis()); // the clock deletions were stamped with
        settings.counters().purged.increment(deleted.purged() - before);
        if (floor > meta.versionFloor) {
            meta.versionFloor = floor;
            emitProgress(now);
        }
    }

    // Which state record a mark follows: readers wait for it rather than trust commit-marker order.
    private Headers markHeaders() {
        Headers h = new RecordHeaders()
                .add(
                        StatecastHeaders.PARTITIONS,
                        StatecastHeaders.encodeLong(settings.partitions().count()));
        if (meta.versionFloor > 0) {
            h.add(StatecastHeaders.VERSION_FLOOR, StatecastHeaders.encodeLong(meta.versionFloor));
        }
        if (meta.stateSrcOffset != PartitionMeta.UNKNOWN) {
            h.add(StatecastHeaders.STATE_SRC_OFFSET, StatecastHeaders.encodeLong(meta.stateSrcOffset));
        }
        return h;
    }

    // A partition whose stored digest has another version than configured (digest.version changed, or a
    // store of an older release) is summed again from the table, once, in the task's transaction: the
    // checksums after it carry the configured version. Done on the first record or tick, not in init.
    private void convertDigestIfNeeded() {
        EntryHash wanted = settings.timing().digest();
        if (meta.digest.version() == wanted.version()) {
            return;
        }
        int from = meta.digest.version();
        meta.digest = DigestConversion.sum(table, wanted);
        metaStore.put(partition, meta.encode());
        log.info(
                "[materializer] partition {}: digest version {} -> {} ({} live entries summed again)",
                partition,
                from,
                wanted.version(),
                meta.digest.count());
    }

    private static byte[] key(int partition) {
        return ByteBuffer.allocate(4).putInt(partition).array();
    }

    /**
     * Settings of the processor, shared by every task of an instance.
     *
     * @param partitions the namespace's partitions at start and the checks that keep them
     */
    public record Settings(
            Timing timing,
            Payloads payloads,
            boolean history,
            ChecksumRequests requests,
            Counters counters,
            PartitionGuard partitions) {}

    /**
     * When checksums are due and what they carry: the clock, the interval per partition, how often the
     * punctuator looks, the entry hash (digest version) of new digests, the state topic's
     * {@code delete.retention.ms} (how long deleted rows are kept follows from it, {@link DeletedRows}).
     */
    public record Timing(
            java.time.Clock clock,
            Duration checksumInterval,
            Duration tick,
            EntryHash digest,
            Duration deleteRetention) {}

    /**
     * What a change and its records must pass: the size limits (of the change and of every record it
     * writes) and the payload check (known schema, decodable).
     */
    public record Payloads(SizeLimits limits, PayloadValidator validator) {
        /** Largest change accepted ({@code max.payload.bytes}). */
        public int maxBytes() {
            return limits.maxPayloadBytes();
        }
    }
}
