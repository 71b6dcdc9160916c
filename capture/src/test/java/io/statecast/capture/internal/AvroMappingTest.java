package io.statecast.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.internal.SchemaEvolution;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class AvroMappingTest {
    private static final Schema V1 = SchemaBuilder.struct()
            .name("statecast.public.pods.Value")
            .field("id", Schema.STRING_SCHEMA)
            .field("restarts", Schema.OPTIONAL_INT16_SCHEMA)
            .field("cpu", Schema.OPTIONAL_INT64_SCHEMA)
            .field(
                    "day",
                    SchemaBuilder.int32()
                            .name("io.debezium.time.Date")
                            .optional()
                            .build())
            .field(
                    "at",
                    SchemaBuilder.int64()
                            .name("io.debezium.time.MicroTimestamp")
                            .optional()
                            .build())
            .field("body", Schema.OPTIONAL_BYTES_SCHEMA)
            .field(
                    "tags",
                    SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA)
                            .optional()
                            .build())
            .build();

    @Test
    void columnsBecomeNullableFieldsWithTheDocumentedTypes() {
        org.apache.avro.Schema s = new AvroMapping().schemaOf(V1, "public", "pods");
        assertEquals("statecast.capture.public.pods", s.getFullName());
        assertEquals(org.apache.avro.Schema.Type.INT, type(s, "restarts").getType());
        assertEquals(org.apache.avro.Schema.Type.LONG, type(s, "cpu").getType());
        assertEquals(LogicalTypes.date(), type(s, "day").getLogicalType());
        assertEquals(LogicalTypes.localTimestampMicros(), type(s, "at").getLogicalType());
        s.getFields().forEach(f -> assertEquals(org.apache.avro.JsonProperties.NULL_VALUE, f.defaultVal()));
    }

    @Test
    void rowsConvertAndRoundTripThroughTheCodec() {
        AvroMapping m = new AvroMapping();
        org.apache.avro.Schema s = m.schemaOf(V1, "public", "pods");
        Struct row = new Struct(V1)
                .put("id", "p1")
                .put("restarts", (short) 3)
                .put("day", 20000)
                .put("body", new byte[] {1, 2})
                .put("tags", List.of("a", "b"));
        GenericRecord r = m.toRecord(row, s);
        AvroCodec<GenericRecord> codec = AvroCodec.generic(s, SchemaResolver.builtIn());
        GenericRecord back = codec.decode(codec.encode(r));
        assertEquals("p1", back.get("id").toString());
        assertEquals(3, back.get("restarts"));
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2}), back.get("body"));
        assertNull(back.get("cpu"));
        assertEquals(2, ((List<?>) back.get("tags")).size());
    }

    @Test
    void anAddedOrDroppedColumnIsACompatibleEvolutionBothWays() {
        Schema v2 = SchemaBuilder.struct()
                .name("statecast.public.pods.Value")
                .field("id", Schema.STRING_SCHEMA)
                .field("cpu", Schema.OPTIONAL_INT64_SCHEMA)
                .field("zone", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        AvroMapping m = new AvroMapping();
        assertEquals(
                List.of(),
                SchemaEvolution.problems(
                        "pods", "v1", m.schemaOf(v2, "public", "pods"), m.schemaOf(V1, "public", "pods")));
    }

    @Test
    void identifiersBecomeAvroNames() {
        assertEquals("my_table", AvroMapping.avroName("my-table"));
        assertEquals("_1st", AvroMapping.avroName("1st"));
    }

    private static org.apache.avro.Schema type(org.apache.avro.Schema s, String field) {
        return s.getField(field).schema().getTypes().get(1);
    }
}
