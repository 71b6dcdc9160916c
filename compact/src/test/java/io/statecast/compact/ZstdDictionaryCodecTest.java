package io.statecast.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ZstdDictionaryCodecTest {
    private static final ZstdDictionaryCodec CODEC = ZstdDictionaryCodec.train(samples(2_000, 1), 8 * 1024, 3);

    @Property(tries = 300)
    void everyValueComesBackAsItWas(@ForAll @Size(max = 2_000) byte[] value) {
        assertArrayEquals(value, CODEC.decompress(CODEC.compress(value)));
    }

    @Test
    void valuesLikeTheSamplesShrinkSeveralFold() {
        long raw = 0;
        long compressed = 0;
        for (byte[] v : samples(500, 2)) {
            raw += v.length;
            compressed += CODEC.compress(v).length;
        }
        assertTrue(compressed * 3 < raw, "compressed " + compressed + " of " + raw + " bytes");
    }

    @Test
    void aCodecRebuiltFromTheDictionaryReadsWhatTheFirstWrote() {
        byte[] v = samples(1, 3).get(0);
        try (ZstdDictionaryCodec again = ZstdDictionaryCodec.of(CODEC.dictionary(), 3)) {
            assertArrayEquals(v, again.decompress(CODEC.compress(v)));
        }
    }

    @Test
    void bytesThatAreNoCompressedValueAreATypedError() {
        assertThrows(CompactionException.class, () -> CODEC.decompress(new byte[] {(byte) 0x80}));
        assertThrows(CompactionException.class, () -> CODEC.decompress(new byte[] {10, 1, 2, 3}));
        assertThrows(CompactionException.class, () -> CODEC.decompress(new byte[0]));
    }

    @Test
    void tooFewSamplesToTrainAreATypedError() {
        assertThrows(CompactionException.class, () -> ZstdDictionaryCodec.train(List.of(new byte[] {1}), 1024, 3));
    }

    // Records like the demo's pods: shared field names and values, a few unique ones.
    static List<byte[]> samples(int n, long seed) {
        Random r = new Random(seed);
        String[] phases = {"Running", "Pending", "Succeeded"};
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = "{\"namespace\":\"team-" + r.nextInt(20) + "\",\"name\":\"web-" + r.nextInt(100_000)
                    + "\",\"node\":\"node-" + r.nextInt(500) + "\",\"phase\":\"" + phases[r.nextInt(3)]
                    + "\",\"labels\":{\"app\":\"web\",\"tier\":\"frontend\",\"release\":\"stable\"},"
                    + "\"image\":\"registry.example.com/web:1." + r.nextInt(10) + "\",\"uid\":\""
                    + Long.toHexString(r.nextLong()) + "\"}";
            out.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
