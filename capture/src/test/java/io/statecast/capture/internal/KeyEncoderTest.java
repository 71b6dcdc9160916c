package io.statecast.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.StatecastException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class KeyEncoderTest {
    private static final Schema ROW = SchemaBuilder.struct()
            .name("pods")
            .field("ns", Schema.OPTIONAL_STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("id", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    @Test
    void oneColumnIsItsTextAndSeveralAreEscapedAndJoinedBySlashes() {
        assertEquals("42", new KeyEncoder(List.of("id")).keyOf(row("default", "web-1", 42L)));
        assertEquals("a/b", new KeyEncoder(List.of("ns")).keyOf(row("a/b", "x", 1L)), "one column: as it is");
        KeyEncoder two = new KeyEncoder(List.of("ns", "name"));
        assertEquals("default/web-1", two.keyOf(row("default", "web-1", 1L)));
        assertEquals("a%2Fb/c%25d", two.keyOf(row("a/b", "c%d", 1L)));
    }

    @Property
    void compositeKeysOfDifferentRowsDiffer(@ForAll String a, @ForAll String b, @ForAll String c, @ForAll String d) {
        KeyEncoder two = new KeyEncoder(List.of("ns", "name"));
        if (!(a.equals(c) && b.equals(d))) {
            assertNotEquals(two.keyOf(row(a, b, 1L)), two.keyOf(row(c, d, 1L)));
        }
    }

    @Test
    void aNullKeyColumnIsATypedError() {
        assertThrows(StatecastException.class, () -> new KeyEncoder(List.of("ns")).keyOf(row(null, "x", 1L)));
    }

    private static Struct row(String ns, String name, Long id) {
        return new Struct(ROW).put("ns", ns).put("name", name).put("id", id);
    }
}
