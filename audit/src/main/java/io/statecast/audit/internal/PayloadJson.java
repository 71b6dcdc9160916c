package io.statecast.audit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.statecast.common.Namespace;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.JsonAvro;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Payloads as plain JSON, each decoded with its own writer schema: the built-in schemas first, then the
 * namespace's schemas topic (opened on first use).
 */
public final class PayloadJson implements AutoCloseable {
    private final Map<String, Object> kafka;
    private final Namespace ns;
    private SchemaTopic topic;
    private AvroCodec<GenericRecord> codec;

    public PayloadJson(Map<String, ?> kafka, Namespace ns) {
        this.kafka = new HashMap<>(kafka);
        this.ns = ns;
    }

    /**
     * The payload as JSON, or null for null (a delete).
     *
     * @throws io.statecast.common.SchemaNotFoundException when its writer schema is in no known place
     */
    public synchronized JsonNode json(byte[] payload) {
        if (payload == null) {
            return null;
        }
        GenericRecord value = codec().decode(payload);
        return JsonAvro.toJson(value, value.getSchema());
    }

    private AvroCodec<GenericRecord> codec() {
        if (codec == null) {
            topic = SchemaTopic.open(kafka, ns);
            codec = AvroCodec.asWritten(SchemaResolver.withTopic(topic));
        }
        return codec;
    }

    @Override
    public synchronized void close() {
        if (topic != null) {
            topic.close();
        }
    }
}
