package io.statecast.audit;

import java.time.Instant;

/**
 * One version of a key, as the materializer wrote it: version, the change it applies ({@code changes}
 * partition and offset), its time, the producer id, and the payload (single-object encoded; null for a
 * delete).
 *
 * @param key the entity key (UTF-8)
 * @param version the per-key version
 * @param partition the {@code changes} (= {@code state}) partition
 * @param srcOffset the offset in {@code changes} of the change this version applies
 * @param time the materializer's update time
 * @param producerId the id of the producer that wrote the change ("" when unknown)
 * @param payload the payload bytes, or null for a delete
 */
public record Entry(
        String key, long version, int partition, long srcOffset, Instant time, String producerId, byte[] payload) {

    /** Whether this version deletes the key. */
    public boolean isDelete() {
        return payload == null;
    }

    /** The operation that produced this version: {@code UPSERT} or {@code DELETE}. */
    public String op() {
        return isDelete() ? "DELETE" : "UPSERT";
    }
}
