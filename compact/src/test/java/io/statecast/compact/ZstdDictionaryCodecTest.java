package io.statecast.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
    void aClosedCodecRefusesWithATypedErrorAndClosesOnce() {
        byte[] v = samples(1, 4).get(0);
        ZstdDictionaryCodec codec = ZstdDictionaryCodec.of(CODEC.dictionary(), 3);
        byte[] stored = codec.compress(v);
        assertArrayEquals(v, codec.decompress(stored)); // a reading context exists and is back in the pool
        codec.close();
        codec.close();
        assertThrows(CompactionException.class, () -> codec.decompress(stored));
        assertThrows(CompactionException.class, () -> codec.compress(v));
    }

    // Four readers decompress while the codec closes: each read gives the value back or a typed error,
    // never a read of freed native memory (zstd's own "Closed"/"in use" IllegalStateException, or worse).
    @Test
    void closingWhileOthersReadGivesEachReaderTheValueOrATypedError() throws Exception {
        List<byte[]> values = samples(200, 5);
        for (int round = 0; round < 20; round++) {
            ZstdDictionaryCodec codec = ZstdDictionaryCodec.of(CODEC.dictionary(), 3);
            List<byte[]> stored = new ArrayList<>();
            values.forEach(v -> stored.add(codec.compress(v)));
            AtomicBoolean refused = new AtomicBoolean();
            AtomicInteger read = new AtomicInteger();
            AtomicReference<Throwable> wrong = new AtomicReference<>();
            CountDownLatch reading = new CountDownLatch(4);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread reader = new Thread(() -> {
                    reading.countDown();
                    for (int i = 0; !refused.get(); i = (i + 1) % values.size()) {
                        try {
                            if (!Arrays.equals(values.get(i), codec.decompress(stored.get(i)))) {
                                wrong.compareAndSet(null, new AssertionError("value " + i + " came back changed"));
                            }
                            read.incrementAndGet();
                        } catch (CompactionException e) {
                            refused.set(true);
                        } catch (Throwable e) {
                            wrong.compareAndSet(null, e);
                            return;
                        }
                    }
                });
                reader.start();
                readers.add(reader);
            }
            reading.await();
            while (read.get() < 100) {
                Thread.onSpinWait();
            }
            codec.close();
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            assertNull(wrong.get(), "round " + round);
            assertTrue(refused.get(), "round " + round + ": a read after close was refused");
        }
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
