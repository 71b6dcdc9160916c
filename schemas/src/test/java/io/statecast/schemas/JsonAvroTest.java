package io.statecast.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.schemas.demo.Pod;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class JsonAvroTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Schema POD = Pod.getClassSchema();

    @Test
    void plainJsonBecomesARecordWithDefaultsAndRendersBackTheSame() throws Exception {
        JsonNode json = MAPPER.readTree(
                "{\"namespace\":\"default\",\"name\":\"web-1\",\"uid\":\"u1\",\"node\":\"node-7\","
                        + "\"phase\":\"RUNNING\",\"labels\":{\"app\":\"web\"},"
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"ports\":[80]}],\"createdAt\":1700000000000}");
        GenericRecord pod = (GenericRecord) JsonAvro.fromJson(json, POD);
        assertEquals("node-7", pod.get("node").toString()); // a nullable union takes the string branch
        assertEquals(0, pod.get("restartCount")); // missing: the default
        assertNull(pod.get("podIp"));
        JsonNode back = JsonAvro.toJson(pod, POD);
        assertEquals("web", back.get("labels").get("app").asText());
        assertEquals(80, back.get("containers").get(0).get("ports").get(0).asInt());
        assertEquals(1700000000000L, back.get("createdAt").asLong());
        assertEquals(back, JsonAvro.toJson(JsonAvro.fromJson(back, POD), POD));
    }

    @Test
    void aValueThatDoesNotFitNamesTheFieldPath() throws Exception {
        JsonNode json = MAPPER.readTree(
                "{\"namespace\":\"default\",\"name\":\"web-1\",\"uid\":\"u1\",\"phase\":\"RUNNING\","
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"cpuMillis\":\"lots\"}],\"createdAt\":1}");
        JsonAvro.JsonAvroException e =
                assertThrows(JsonAvro.JsonAvroException.class, () -> JsonAvro.fromJson(json, POD, "value"));
        assertEquals("value.containers[0].cpuMillis", e.path());
        assertEquals("value.containers[0].cpuMillis: expected an int", e.getMessage());
    }

    @Test
    void unknownFieldsAndMissingFieldsWithoutDefaultAreRefused() throws Exception {
        JsonAvro.JsonAvroException unknown = assertThrows(
                JsonAvro.JsonAvroException.class,
                () -> JsonAvro.fromJson(
                        MAPPER.readTree("{\"namespace\":\"d\",\"name\":\"n\",\"uid\":\"u\",\"phase\":\"RUNNING\","
                                + "\"createdAt\":1,\"colour\":\"red\"}"),
                        POD));
        assertEquals("colour", unknown.path());
        JsonAvro.JsonAvroException missing = assertThrows(
                JsonAvro.JsonAvroException.class,
                () -> JsonAvro.fromJson(
                        MAPPER.readTree("{\"namespace\":\"d\",\"name\":\"n\",\"uid\":\"u\",\"phase\":\"RUNNING\"}"),
                        POD));
        assertEquals("createdAt", missing.path());
    }
}
