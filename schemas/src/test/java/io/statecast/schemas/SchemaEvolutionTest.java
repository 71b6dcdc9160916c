package io.statecast.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.internal.ReleasedSchemas;
import io.statecast.schemas.internal.SchemaEvolution;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The evolution guard: an incompatible edit of any record fails the build, naming the schema and field. */
class SchemaEvolutionTest {
    private static final Map<String, Schema> CURRENT = Map.of(
            "ChangeEvent",
            ChangeEvent.getClassSchema(),
            "StateRecord",
            StateRecord.getClassSchema(),
            "Checksum",
            Checksum.getClassSchema(),
            "Progress",
            Progress.getClassSchema(),
            "Rejection",
            Rejection.getClassSchema(),
            "Pod",
            Pod.getClassSchema(),
            "Node",
            Node.getClassSchema(),
            "SliceDefinition",
            SliceDefinition.getClassSchema(),
            "SliceChecksum",
            SliceChecksum.getClassSchema(),
            "SliceProgress",
            SliceProgress.getClassSchema());

    @Test
    void everyCurrentSchemaReadsAndIsReadByEveryReleasedVersion() {
        List<String> problems = new ArrayList<>();
        for (ReleasedSchemas.Released r : ReleasedSchemas.list()) {
            Schema current = CURRENT.get(r.record());
            assertTrue(current != null, "released schema of unknown record " + r.record());
            problems.addAll(SchemaEvolution.problems(r.record(), r.version(), current, r.schema()));
        }
        assertEquals(List.of(), problems, "incompatible schema edits:\n" + String.join("\n", problems));
    }

    @Test
    void everyRecordHasAReleasedVersion() {
        List<String> released = ReleasedSchemas.list().stream()
                .map(ReleasedSchemas.Released::record)
                .toList();
        assertTrue(released.containsAll(CURRENT.keySet()), "released: " + released);
    }

    @Test
    void anIncompatibleEditIsReportedWithSchemaAndField() throws IOException {
        Schema broken = parse("/evolution/ChangeEvent-incompatible.avsc");
        List<String> problems = SchemaEvolution.problems("ChangeEvent", "v1", broken, ChangeEvent.getClassSchema());
        String all = String.join("\n", problems);
        assertFalse(problems.isEmpty());
        assertTrue(all.contains("ChangeEvent"), all);
        assertTrue(all.contains("tenant"), "names the field added without default: " + all);
        assertTrue(all.contains("producerId"), "names the field whose type changed: " + all);
    }

    @Test
    void anOptionalFieldWithDefaultIsACompatibleEdit() throws IOException {
        Schema v2 = parse("/evolution/ChangeEvent-v2.avsc");
        assertEquals(List.of(), SchemaEvolution.problems("ChangeEvent", "v1", v2, ChangeEvent.getClassSchema()));
    }

    static Schema parse(String resource) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        }
    }
}
