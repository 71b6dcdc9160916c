package io.statecast.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.consumer.spi.ValueCompression;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ZstdValueCompressionTest {
    private static final ValueCompression.Compressor COMPRESSOR =
            new ZstdValueCompression(2_000, 8 * 1024, 3).train(ZstdDictionaryCodecTest.samples(2_000, 1));

    @Property(tries = 300)
    void aValueStoredAfterAKeyInOneArrayComesBackAsItWas(
            @ForAll @Size(max = 2_000) byte[] value, @ForAll @IntRange(max = 64) int keyLength) {
        byte[] small = COMPRESSOR.compress(value);
        byte[] entry = new byte[keyLength + small.length];
        System.arraycopy(small, 0, entry, keyLength, small.length);
        assertArrayEquals(value, COMPRESSOR.decompress(entry, keyLength, small.length));
    }

    @Property(tries = 300)
    void garbageIsATypedErrorOrSomeValueNeverACrash(@ForAll @Size(max = 300) byte[] garbage) {
        try {
            COMPRESSOR.decompress(garbage, 0, garbage.length);
        } catch (CompactionException expected) {
            // the typed error: what the view turns into a StoredValueException naming the key
        }
    }

    @Test
    void aGarbledLengthDoesNotAllocateGigabytes() {
        // a single-segment frame header whose 4-byte content size says 2^31 - 1
        byte[] huge = {(byte) 0xa0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3};
        CompactionException e =
                assertThrows(CompactionException.class, () -> COMPRESSOR.decompress(huge, 0, huge.length));
        assertEquals("not a compressed value: a length of 2147483647 bytes", e.getMessage());
        byte[] valid = COMPRESSOR.compress(new byte[] {1, 2, 3});
        byte[] cut = Arrays.copyOf(valid, valid.length - 1);
        assertThrows(CompactionException.class, () -> COMPRESSOR.decompress(cut, 0, cut.length));
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThrows(CompactionException.class, () -> new ZstdValueCompression(0, 16_384, 3));
        assertThrows(CompactionException.class, () -> new ZstdValueCompression(10, 100, 3));
        assertThrows(CompactionException.class, () -> new ZstdValueCompression(10, 16_384, 23));
        assertEquals(new ZstdValueCompression(10_000, 16 * 1024, 3), ZstdValueCompression.defaults());
    }
}
