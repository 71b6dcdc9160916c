package io.statecast.consumer;

import java.util.Set;

/**
 * The view dropped and re-read some partitions (topic recreated, offsets out of range), or a listener
 * lost events because its queue overflowed. A listener should re-read what it needs from the view
 * ({@link StateView#snapshot()}) rather than trust what it derived from earlier events.
 */
public record ResetEvent(Set<Integer> partitions, Reason reason) {
    /** Why a reset happened. */
    public enum Reason {
        TOPIC_RECREATED,
        OFFSET_OUT_OF_RANGE,
        LISTENER_OVERFLOW,
        CHECKSUM_MISMATCH,
        /**
         * The materializer's checksums use another digest version, and the partition keeps filtered-out or
         * transformed entries only as hashes: it is read again to hash them in that version.
         */
        DIGEST_VERSION,
        /**
         * The partition was not read to its end for longer than the state topic's {@code delete.retention.ms}
         * minus a margin (a long outage, or a view far behind): the cleaner may have removed tombstones it
         * never saw, so it is read again from the beginning.
         */
        DELETE_RETENTION
    }
}
