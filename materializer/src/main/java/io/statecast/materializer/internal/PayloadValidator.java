package io.statecast.materializer.internal;

import io.statecast.common.RecordDecodingException;
import io.statecast.common.SchemaNotFoundException;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Checks that an entity payload is single-object encoded with a schema the namespace knows (built-in
 * or in its schemas topic) and decodes with it. The pipeline stays schema-agnostic: it never needs the
 * user's classes.
 */
public final class PayloadValidator {
    private final SchemaResolver resolver;
    private final Map<Long, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();

    // One decoder per stream thread, reused: validation runs for every accepted upsert.
    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    public PayloadValidator(SchemaResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * @throws SchemaNotFoundException when the fingerprint is unknown
     * @throws RecordDecodingException when the bytes are not a valid encoding
     */
    public void validate(ByteBuffer payload) {
        byte[] bytes = wholeArray(payload);
        long fp = AvroCodec.fingerprint(bytes);
        GenericDatumReader<Object> reader = readers.computeIfAbsent(fp, f -> {
            Schema s = resolver.resolve(f);
            return new GenericDatumReader<>(s, s);
        });
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(bytes, AvroCodec.HEADER_LENGTH, bytes.length - AvroCodec.HEADER_LENGTH, DECODERS.get());
        DECODERS.set(decoder);
        try {
            reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new RecordDecodingException("trailing bytes after the payload");
            }
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException
                | ClassCastException
                | IllegalArgumentException
                | UnsupportedOperationException e) {
            throw new RecordDecodingException(
                    "payload does not decode with its schema "
                            + resolver.resolve(fp).getFullName() + ": " + e,
                    e);
        }
    }

    // Avro hands the payload over as a buffer over an array of exactly its bytes: use it, copy otherwise.
    private static byte[] wholeArray(ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes;
    }
}
