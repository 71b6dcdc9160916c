package io.statecast.materializer.internal;

import io.statecast.common.StatecastException;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.StateRecord;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.state.HostInfo;

/** The JSON body of {@code GET /state/{key}}. */
public final class StateJson {
    private StateJson() {}

    public static String of(String key, int partition, TableEntry entry, SchemaResolver resolver, HostInfo servedBy) {
        StateRecord r = Envelopes.stateRecord().decode(entry.value());
        return "{\"key\":" + quote(key) + ",\"found\":true,\"version\":" + r.getVersion() + ",\"partition\":"
                + partition
                + ",\"srcOffset\":" + r.getOriginOffset() + ",\"updatedAt\":"
                + quote(r.getUpdatedAt().toString())
                + ",\"producerId\":" + quote(r.getProducerId()) + ",\"servedBy\":"
                + quote(servedBy.host() + ":" + servedBy.port())
                + ",\"payload\":" + payload(r.getPayload(), resolver) + "}";
    }

    private static String payload(ByteBuffer payload, SchemaResolver resolver) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        try {
            Schema writer = resolver.resolve(AvroCodec.fingerprint(bytes));
            GenericRecord value =
                    AvroCodec.<GenericRecord>generic(writer, resolver).decode(bytes);
            return value.toString(); // Avro's generic toString is JSON
        } catch (StatecastException e) {
            return quote("undecodable: " + e.getMessage());
        }
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
