package io.statecast.materializer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statecast.materializer.MaterializerCounts;
import io.statecast.schemas.RejectionReason;
import java.util.EnumMap;
import java.util.Map;

/** The materializer's own counters (accepted, rejected by reason, no-ops, checksums, progress marks, slices). */
public final class Counters {
    final Counter accepted;
    final Counter noops;
    final Counter replays;
    final Counter checksums;
    final Counter progress;
    final Counter sliceRecords;
    final Counter sliceChecksums;
    final Counter sliceProgress;
    private final Counter sliceUnreadable;
    final Counter sliceOversized;
    final Counter reprocessed;
    final Counter purged;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

    public Counters(MeterRegistry registry, String namespace) {
        accepted = Counter.builder("statecast.materializer.accepted")
                .tag("namespace", namespace)
                .description("Changes accepted and written to state")
                .register(registry);
        noops = Counter.builder("statecast.materializer.noops")
                .tag("namespace", namespace)
                .description("Upserts equal to the current value (nothing emitted)")
                .register(registry);
        replays = Counter.builder("statecast.materializer.source.replays")
                .tag("namespace", namespace)
                .description("Captured changes not newer than their key's last applied source position (dropped)")
                .register(registry);
        checksums = Counter.builder("statecast.materializer.checksums")
                .tag("namespace", namespace)
                .register(registry);
        progress = Counter.builder("statecast.materializer.progress.marks")
                .tag("namespace", namespace)
                .register(registry);
        sliceRecords = Counter.builder("statecast.materializer.slice.records")
                .tag("namespace", namespace)
                .description("Slice records and tombstones written")
                .register(registry);
        sliceChecksums = Counter.builder("statecast.materializer.slice.checksums")
                .tag("namespace", namespace)
                .register(registry);
        sliceProgress = Counter.builder("statecast.materializer.slice.progress.marks")
                .tag("namespace", namespace)
                .register(registry);
        sliceUnreadable = Counter.builder("statecast.materializer.slice.unreadable")
                .tag("namespace", namespace)
                .description("State values whose slice field could not be read (put in no slice)")
                .register(registry);
        sliceOversized = Counter.builder("statecast.materializer.slice.oversized")
                .tag("namespace", namespace)
                .description("Back-filled entities whose slice record would not fit the slice topic (put in no slice)")
                .register(registry);
        reprocessed = Counter.builder("statecast.materializer.reprocessed.skipped")
                .tag("namespace", namespace)
                .description(
                        "Changes at or before the last processed offset (read again after a store rebuild), skipped")
                .register(registry);
        purged = Counter.builder("statecast.materializer.deleted.rows.purged")
                .tag("namespace", namespace)
                .description("Rows of deleted keys purged from the table store (docs/materializer.md, Deleted keys)")
                .register(registry);
        for (RejectionReason r : RejectionReason.values()) {
            rejected.put(
                    r,
                    Counter.builder("statecast.materializer.rejected")
                            .tag("namespace", namespace)
                            .tag("reason", r.name())
                            .description("Changes rejected, by reason")
                            .register(registry));
        }
    }

    void countSliceUnreadable() {
        sliceUnreadable.increment();
    }

    double sliceUnreadable() {
        return sliceUnreadable.count();
    }

    /** Slice records and tombstones written so far. */
    public double sliceRecordCount() {
        return sliceRecords.count();
    }

    void rejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }

    /** A copy of every count now. */
    public MaterializerCounts snapshot() {
        Map<RejectionReason, Long> byReason = new EnumMap<>(RejectionReason.class);
        rejected.forEach((reason, c) -> byReason.put(reason, count(c)));
        return new MaterializerCounts(
                count(accepted), count(noops), count(replays), count(checksums), count(progress), byReason);
    }

    private static long count(Counter c) {
        return (long) c.count();
    }
}
