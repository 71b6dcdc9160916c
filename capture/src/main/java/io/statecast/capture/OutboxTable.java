package io.statecast.capture;

import java.util.Map;
import org.apache.avro.Schema;

/**
 * An outbox table (the transactional outbox pattern): the application inserts, in the same database transaction
 * as its own writes, a row naming an aggregate (id and type) and its new state as JSON; capture turns each
 * inserted or updated row into a change of key {@code idColumn} in namespace {@code typeColumn}'s value, with
 * the payload converted by that type's schema. A null payload deletes the aggregate. Deleting outbox rows
 * (housekeeping) is not captured. See docs/capture.md.
 *
 * @param idColumn column of the aggregate id: the entity key
 * @param typeColumn column of the aggregate type: the namespace
 * @param payloadColumn column of the aggregate's state as JSON (json, jsonb or text), null for a delete
 * @param schemas value schema of each aggregate type (namespace)
 */
public record OutboxTable(String idColumn, String typeColumn, String payloadColumn, Map<String, Schema> schemas) {
    /** The default column names: {@code aggregate_id}, {@code aggregate_type}, {@code payload}. */
    public static OutboxTable withSchemas(Map<String, Schema> schemas) {
        return new OutboxTable("aggregate_id", "aggregate_type", "payload", Map.copyOf(schemas));
    }
}
