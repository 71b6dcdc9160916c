package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statecast.consumer.internal.EntryTable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EntryTableTest {

    @Property(tries = 200)
    void behavesLikeAHashMapUnderRandomPutsAndRemoves(@ForAll List<@IntRange(min = 0, max = 300) Integer> ops) {
        EntryTable table = new EntryTable();
        Map<String, String> model = new HashMap<>();
        int step = 0;
        for (int op : ops) {
            String key = "k" + (op % 97);
            if (op % 3 == 0) {
                assertEquals(model.remove(key), str(table.remove(b(key))));
            } else {
                String value = "v" + step++;
                assertEquals(model.put(key, value), str(table.put(b(key), b(value))));
            }
            assertEquals(model.size(), table.size());
        }
        Map<String, String> seen = new HashMap<>();
        table.forEach((k, v) -> seen.put(str(k), str(v)));
        assertEquals(model, seen);
        model.forEach((k, v) -> assertArrayEquals(b(v), table.get(b(k))));
    }

    @Test
    void tracksStoredBytesAndClears() {
        EntryTable t = new EntryTable();
        t.put(b("ab"), b("cde"));
        assertEquals(4 + 2 + 3, t.storedBytes());
        t.put(b("ab"), b("c"));
        assertEquals(4 + 2 + 1, t.storedBytes());
        t.clear();
        assertEquals(0, t.size());
        assertNull(t.get(b("ab")));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
