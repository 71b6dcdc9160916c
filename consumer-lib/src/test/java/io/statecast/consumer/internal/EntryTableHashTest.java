package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntryTableHashTest {

    @Test
    void keysThatDifferOnlyInTheirLastCharactersSpreadOverTheTable() {
        int keys = 100_000;
        int capacity = 1 << 18; // 38% full
        int[] homes = new int[capacity];
        int longest = 0;
        for (int i = 0; i < keys; i++) {
            byte[] key = String.format("default/web-%08d", i).getBytes(StandardCharsets.US_ASCII);
            longest = Math.max(longest, ++homes[OpenAddressing.home(PackedEntry.hash(key), capacity)]);
        }
        int used = 0;
        for (int h : homes) {
            used += h > 0 ? 1 : 0;
        }
        // a uniform hash fills 1 - e^(-keys/capacity) of the homes (82,400 here), at most a handful per home
        assertTrue(used > 80_000, "homes used: " + used);
        assertTrue(longest <= 10, "most keys on one home: " + longest);
    }
}
