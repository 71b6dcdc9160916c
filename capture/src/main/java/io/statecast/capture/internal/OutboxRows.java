package io.statecast.capture.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.capture.OutboxTable;
import io.statecast.schemas.JsonAvro;
import io.statecast.schemas.RejectionReason;
import io.statecast.schemas.SourcePosition;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Struct;

/**
 * The rows of an outbox table: each inserted (or updated) row is a change of its aggregate in the namespace of
 * its aggregate type, the JSON payload converted with that type's schema ({@link JsonAvro}); a null payload is a
 * delete. Deletes of outbox rows are housekeeping and ignored. A payload that does not fit, or a type without a
 * schema, becomes an {@code INVALID} rejection in that namespace.
 */
public final class OutboxRows implements RowConverter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutboxTable outbox;

    /** Rows of this outbox. */
    public OutboxRows(OutboxTable outbox) {
        this.outbox = outbox;
    }

    @Override
    public List<CapturedChange> convert(DebeziumRecord r, SourcePosition source) {
        if (!List.of("c", "r", "u").contains(r.op())) {
            return List.of();
        }
        Struct row = r.after();
        String ns = String.valueOf(row.get(outbox.typeColumn()));
        String key = String.valueOf(row.get(outbox.idColumn()));
        Object payload = row.get(outbox.payloadColumn());
        if (payload == null) {
            return List.of(CapturedChange.delete(ns, key, source));
        }
        return List.of(upsert(ns, key, payload.toString(), source));
    }

    private CapturedChange upsert(String ns, String key, String payload, SourcePosition source) {
        Schema schema = outbox.schemas().get(ns);
        if (schema == null) {
            return refused(
                    ns,
                    key,
                    source,
                    "no value schema for aggregate type " + ns + " (give --value-schema " + ns + "=FILE.avsc)",
                    payload);
        }
        try {
            JsonNode json = JSON.readTree(payload);
            return CapturedChange.upsert(ns, key, (GenericRecord) JsonAvro.fromJson(json, schema), source);
        } catch (JsonProcessingException e) {
            return refused(ns, key, source, "the outbox payload is not JSON: " + e.getOriginalMessage(), payload);
        } catch (JsonAvro.JsonAvroException e) {
            return refused(
                    ns,
                    key,
                    source,
                    "the outbox payload does not fit " + schema.getFullName() + ": " + e.getMessage(),
                    payload);
        }
    }

    private static CapturedChange refused(String ns, String key, SourcePosition source, String why, String raw) {
        return CapturedChange.refused(ns, key, source, new CapturedChange.Refusal(RejectionReason.INVALID, why, raw));
    }
}
