package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import io.statecast.consumer.spi.ValueCompression;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A real compressor for the table's tests without native code: the JDK's deflate with a preset dictionary
 * made of the training samples (zstd lives in the statecast-compact module, which consumer-lib cannot use).
 */
public record DeflateCompression(int trainingValues) implements ValueCompression {
    @Override
    public Compressor train(List<byte[]> samples) {
        ByteArrayOutputStream dict = new ByteArrayOutputStream();
        for (byte[] s : samples) {
            if (dict.size() + s.length > 4096) {
                break;
            }
            dict.writeBytes(s);
        }
        byte[] dictionary = dict.toByteArray();
        return new Compressor() {
            private volatile boolean closed; // like zstd's codec: nothing is read back once freed

            @Override
            public void close() {
                closed = true;
            }

            @Override
            public byte[] compress(byte[] value) {
                Deflater d = new Deflater(Deflater.BEST_SPEED, true);
                d.setDictionary(dictionary);
                d.setInput(value);
                d.finish();
                byte[] out = new byte[value.length + value.length / 100 + 64];
                int n = d.deflate(out);
                d.end();
                byte[] framed = new byte[n + 4];
                framed[0] = (byte) (value.length >>> 24);
                framed[1] = (byte) (value.length >>> 16);
                framed[2] = (byte) (value.length >>> 8);
                framed[3] = (byte) value.length;
                System.arraycopy(out, 0, framed, 4, n);
                return framed;
            }

            @Override
            public byte[] decompress(byte[] stored, int from, int length) {
                if (closed) {
                    throw new StatecastException("the compressor is closed");
                }
                if (length < 4) {
                    throw new StatecastException("too short");
                }
                int size = ((stored[from] & 0xff) << 24)
                        | ((stored[from + 1] & 0xff) << 16)
                        | ((stored[from + 2] & 0xff) << 8)
                        | (stored[from + 3] & 0xff);
                if (size < 0 || size > 1 << 20) {
                    throw new StatecastException("bad size " + size);
                }
                Inflater in = new Inflater(true);
                try {
                    in.setDictionary(dictionary); // raw deflate: the dictionary is set before any input
                    in.setInput(stored, from + 4, length - 4);
                    byte[] out = new byte[size];
                    int n = in.inflate(out);
                    if (n != size) {
                        throw new StatecastException(n + " bytes instead of " + size);
                    }
                    return out;
                } catch (DataFormatException e) {
                    throw new StatecastException("not deflate: " + e.getMessage());
                } finally {
                    in.end();
                }
            }
        };
    }
}
