package io.statecast.materializer;

import io.statecast.schemas.RejectionReason;
import java.util.Map;

/**
 * What one materializer instance counted since it started (the same figures as its {@code
 * statecast_materializer_*} metrics), as {@link Materializer#counts()} returns them.
 *
 * @param accepted changes accepted and written to state
 * @param noops upserts equal to the current value, which emit nothing
 * @param replays captured changes not newer than their key's last applied source position (dropped)
 * @param checksums checksums emitted
 * @param progressMarks progress marks emitted
 * @param rejected changes rejected, by reason (every reason present, 0 when none)
 */
public record MaterializerCounts(
        long accepted,
        long noops,
        long replays,
        long checksums,
        long progressMarks,
        Map<RejectionReason, Long> rejected) {
    /** An immutable copy of {@code rejected}. */
    public MaterializerCounts {
        rejected = Map.copyOf(rejected);
    }

    /** Changes rejected with this reason. */
    public long rejected(RejectionReason reason) {
        return rejected.getOrDefault(reason, 0L);
    }
}
