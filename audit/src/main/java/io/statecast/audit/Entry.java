package io.statecast.audit;

import java.time.Instant;

/**
 * One key of a replayed table or of a key's history: version, where it came from, and the payload
 * (single-object encoded; null for a delete).
 */
public record Entry(String key, long version, int partition, long srcOffset, Instant time, String producerId, byte[] payload) {
    public boolean isDelete() {
        return payload == null;
    }
}
