package io.statecast.materializer.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Settings of the slice step, shared by every task of an instance.
 *
 * @param slices the slices to project now (the registry's {@link SliceRegistry#active()})
 * @param clock wall clock of marks and record timestamps
 * @param checksumInterval interval between slice checksums (the materializer's checksum interval)
 * @param progressInterval at most this often, a progress mark to each slice partition left behind
 * @param tick how often the step looks for new slices, back-fills and marks
 * @param requests on-demand checksum requests (POST /checksums)
 * @param counters where slice records, checksums, marks and unreadable values are counted
 * @param backfillBatch table rows a back-fill projects per tick and slice: bounds one transaction
 */
public record SliceSettings(
        Supplier<List<ActiveSlice>> slices,
        Clock clock,
        Duration checksumInterval,
        Duration progressInterval,
        Duration tick,
        ChecksumRequests requests,
        Counters counters,
        int backfillBatch) {}
