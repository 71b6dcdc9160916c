package io.statecast.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.JsonAvro;
import io.statecast.schemas.SchemaResolver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class UserSchemaMappingTest {
    private static final Schema ROW = SchemaBuilder.struct()
            .name("statecast.public.pods.Value")
            .field("id", Schema.STRING_SCHEMA)
            .field("phase", Schema.OPTIONAL_STRING_SCHEMA)
            .field("labels", json())
            .field("containers", json())
            .field("createdAt", named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"))
            .field("startedAt", named(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"))
            .field("restarts", Schema.OPTIONAL_INT32_SCHEMA)
            .field("zone", Schema.OPTIONAL_STRING_SCHEMA) // a column the user's schema has no field for
            .build();

    private static final org.apache.avro.Schema POD = new org.apache.avro.Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"t\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"phase\",\"type\":{\"type\":\"enum\",\"name\":\"Phase\",\"symbols\":[\"PENDING\","
                    + "\"RUNNING\"]}},"
                    + "{\"name\":\"labels\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}},"
                    + "{\"name\":\"containers\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\","
                    + "\"name\":\"C\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}},\"default\":[]},"
                    + "{\"name\":\"createdAt\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                    + "{\"name\":\"startedAt\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":"
                    + "\"timestamp-millis\"}],\"default\":null},"
                    + "{\"name\":\"restarts\",\"type\":\"int\",\"default\":0},"
                    + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]}");

    private final AvroMapping derived = new AvroMapping();
    private final UserSchemaMapping mapping = new UserSchemaMapping(POD);

    @Test
    void jsonColumnsTimestampsNullsAndMissingColumnsFitTheUsersSchema() {
        Struct row = new Struct(ROW)
                .put("id", "default/web-1")
                .put("phase", "RUNNING")
                .put("labels", "{\"app\": \"web\"}")
                .put("containers", "[{\"name\": \"web\"}]")
                .put("createdAt", "2026-12-01T13:00:00.123456Z")
                .put("startedAt", 1_764_594_000_123_456L)
                .put("zone", "z1");
        GenericRecord pod = roundTrip(mapping.map(derived.toRecord(row, derived.schemaOf(ROW, "public", "pods"))));
        assertEquals("default/web-1", pod.get("id").toString());
        assertEquals("RUNNING", pod.get("phase").toString());
        assertEquals(
                "web",
                ((Map<?, ?>) pod.get("labels"))
                        .get(new org.apache.avro.util.Utf8("app"))
                        .toString());
        assertEquals(
                "web",
                ((GenericRecord) ((List<?>) pod.get("containers")).get(0))
                        .get("name")
                        .toString());
        assertEquals(Instant.parse("2026-12-01T13:00:00.123Z").toEpochMilli(), pod.get("createdAt"));
        assertEquals(1_764_594_000_123L, pod.get("startedAt"), "microseconds of timestamp into milliseconds");
        assertEquals(0, pod.get("restarts"), "a SQL NULL in a field that cannot be null takes its default");
        assertEquals("none", pod.get("note").toString(), "a field no column fills takes its default");
    }

    @Test
    void aNullColumnStaysNullWhereTheFieldTakesNull() {
        Struct row = minimal().put("startedAt", null);
        GenericRecord pod = mapping.map(derived.toRecord(row, derived.schemaOf(ROW, "public", "pods")));
        assertNull(pod.get("startedAt"));
    }

    @Test
    void whatDoesNotFitIsAnErrorNamingTheField() {
        Struct badPhase = minimal().put("phase", "SLEEPING");
        JsonAvro.JsonAvroException e = assertThrows(
                JsonAvro.JsonAvroException.class,
                () -> mapping.map(derived.toRecord(badPhase, derived.schemaOf(ROW, "public", "pods"))));
        assertTrue(e.getMessage().startsWith("phase:"), e.getMessage());
        Struct notJson = minimal().put("labels", "app=web");
        e = assertThrows(
                JsonAvro.JsonAvroException.class,
                () -> mapping.map(derived.toRecord(notJson, derived.schemaOf(ROW, "public", "pods"))));
        assertTrue(e.getMessage().startsWith("labels:"), e.getMessage());
    }

    private static Struct minimal() {
        return new Struct(ROW)
                .put("id", "p")
                .put("phase", "PENDING")
                .put("createdAt", "2026-12-01T13:00:00Z")
                .put("startedAt", 5_000L);
    }

    private static GenericRecord roundTrip(GenericRecord r) {
        AvroCodec<GenericRecord> codec = AvroCodec.generic(POD, SchemaResolver.builtIn());
        return codec.decode(codec.encode(r));
    }

    private static Schema json() {
        return named(SchemaBuilder.string(), "io.debezium.data.Json");
    }

    private static Schema named(SchemaBuilder b, String name) {
        return b.name(name).optional().build();
    }
}
