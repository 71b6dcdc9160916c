package io.statecast.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.SliceFieldException;
import io.statecast.common.StatecastException;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SliceFieldTest {

    static Pod pod(String node, Map<String, String> labels) {
        return Pod.newBuilder()
                .setNamespace("default")
                .setName("web-1")
                .setUid("u-1")
                .setNode(node)
                .setPhase(PodPhase.RUNNING)
                .setLabels(labels)
                .setContainers(List.of())
                .setCreatedAt(Instant.ofEpochMilli(1_000))
                .build();
    }

    @Test
    void aTopLevelNullableStringIsTheValueAndNullIsNoSlice() {
        SliceField f = SliceField.parse("node");
        f.check(Pod.getClassSchema());
        assertEquals("node-7", f.valueOf(pod("node-7", Map.of())));
        assertNull(f.valueOf(pod(null, Map.of())));
    }

    @Test
    void aDottedPathReadsAMapKeyAndAMissingKeyIsNoSlice() {
        SliceField f = SliceField.parse("labels.app");
        f.check(Pod.getClassSchema());
        assertEquals("web", f.valueOf(pod("n", Map.of("app", "web"))));
        assertNull(f.valueOf(pod("n", Map.of("tier", "front"))));
    }

    @Test
    void anEnumIsItsSymbol() {
        SliceField f = SliceField.parse("phase");
        f.check(Pod.getClassSchema());
        assertEquals("RUNNING", f.valueOf(pod("n", Map.of())));
    }

    @Test
    void aFieldTheSchemaDoesNotHaveIsRefusedNamingItAndTheFieldsThatExist() {
        SliceFieldException e = assertThrows(
                SliceFieldException.class, () -> SliceField.parse("nodeName").check(Pod.getClassSchema()));
        assertEquals("nodeName", e.field());
        assertEquals("io.statecast.schemas.demo.Pod", e.schema());
        assertTrue(e.getMessage().contains("has no field 'nodeName'"), e.getMessage());
        assertTrue(e.getMessage().contains("node, phase, labels"), e.getMessage());
    }

    @Test
    void pathsThroughScalarsOrEndingOnContainersAreRefused() {
        assertTrue(assertThrows(
                        SliceFieldException.class,
                        () -> SliceField.parse("node.x").check(Pod.getClassSchema()))
                .getMessage()
                .contains("'node' is a string, not a record or a map"));
        assertTrue(assertThrows(
                        SliceFieldException.class,
                        () -> SliceField.parse("labels").check(Pod.getClassSchema()))
                .getMessage()
                .contains("a slice value is a string, enum, int, long or boolean"));
        assertTrue(assertThrows(
                        SliceFieldException.class,
                        () -> SliceField.parse("containers.name").check(Pod.getClassSchema()))
                .getMessage()
                .contains("'containers' is a array"));
    }

    @Test
    void nestedRecordsThroughNullableUnionsAreWalked() {
        Schema s = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"spec\",\"type\":[\"null\","
                        + "{\"type\":\"record\",\"name\":\"Spec\",\"fields\":[{\"name\":\"nodeName\",\"type\":\"string\"},"
                        + "{\"name\":\"prio\",\"type\":\"int\"}]}],\"default\":null}]}");
        SliceField.parse("spec.nodeName").check(s);
        SliceField.parse("spec.prio").check(s);
        assertThrows(
                SliceFieldException.class, () -> SliceField.parse("spec.zone").check(s));
    }

    @Test
    void emptyStepsAreRefused() {
        assertThrows(StatecastException.class, () -> SliceField.parse("labels..app"));
        assertThrows(StatecastException.class, () -> SliceField.parse(""));
    }
}
