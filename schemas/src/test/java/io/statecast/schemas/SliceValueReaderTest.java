package io.statecast.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statecast.schemas.demo.Pod;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class SliceValueReaderTest {
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());

    @Property(tries = 300)
    void theProjectedReadEqualsTheFieldOfTheWholeDecodedPod(
            @ForAll @AlphaChars @StringLength(max = 12) String node,
            @ForAll boolean nullNode,
            @ForAll @Size(max = 4) Map<@AlphaChars @StringLength(min = 1, max = 5) String, @AlphaChars String> labels) {
        Pod pod = SliceFieldTest.pod(nullNode ? null : node, new HashMap<>(labels));
        ByteBuffer payload = ByteBuffer.wrap(PODS.encode(pod));
        for (String path : new String[] {"node", "labels.app", "phase", "name"}) {
            SliceField f = SliceField.parse(path);
            Pod decoded = PODS.decode(payload.array());
            assertEquals(
                    f.valueOf(decoded),
                    new SliceValueReader(f, SchemaResolver.builtIn()).read(payload),
                    path + " of " + pod);
        }
    }

    @Test
    void aStateRecordIsReadThroughItsPayload() {
        byte[] state = Envelopes.stateRecord()
                .encode(StateRecord.newBuilder()
                        .setPayload(ByteBuffer.wrap(PODS.encode(SliceFieldTest.pod("node-3", Map.of()))))
                        .setVersion(4)
                        .setUpdatedAt(Instant.ofEpochMilli(5))
                        .setOriginPartition(1)
                        .setOriginOffset(9)
                        .setProducerId("p")
                        .build());
        assertEquals(
                "node-3",
                new SliceValueReader(SliceField.parse("node"), SchemaResolver.builtIn()).readStateRecord(state));
    }

    @Test
    void aWriterSchemaThatDroppedTheFieldPutsItsValuesInNoSliceAndIsCounted() {
        Schema v2 = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"io.statecast.schemas.demo\",\"fields\":["
                        + "{\"name\":\"name\",\"type\":\"string\"}]}");
        SchemaResolver resolver = SchemaResolver.builtIn();
        GenericRecord r = new GenericData.Record(v2);
        r.put("name", "web-1");
        AvroCodec<GenericRecord> codec = AvroCodec.generic(v2, resolver);
        SliceValueReader reader = new SliceValueReader(SliceField.parse("node"), resolver);
        assertNull(reader.read(ByteBuffer.wrap(codec.encode(r))));
        assertEquals(1, reader.missingField());
    }
}
