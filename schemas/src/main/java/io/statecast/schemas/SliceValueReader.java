package io.statecast.schemas;

import io.statecast.common.RecordDecodingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads the slice value of single-object encoded payloads: the writer schema comes from the resolver,
 * and each payload is decoded into a reader schema holding only the field's path (Avro skips the rest).
 * A writer schema without the path (a schema evolution dropped the field) puts its payloads in no
 * slice, counted in {@link #missingField()}. Thread-safe.
 */
public final class SliceValueReader {
    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private final SliceField field;
    private final SchemaResolver resolver;
    private final Map<Long, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
    private final AtomicLong missing = new AtomicLong();

    public SliceValueReader(SliceField field, SchemaResolver resolver) {
        this.field = field;
        this.resolver = resolver;
    }

    /** The field this reader extracts. */
    public SliceField field() {
        return field;
    }

    /**
     * The slice value of the payload; null when it is in no slice.
     *
     * @throws io.statecast.common.SchemaNotFoundException when the payload's fingerprint is unknown
     * @throws RecordDecodingException when the bytes do not decode
     */
    public String read(ByteBuffer payload) {
        ByteBuffer b = payload.duplicate();
        if (b.remaining() < AvroCodec.HEADER_LENGTH
                || b.get(b.position()) != (byte) 0xC3
                || b.get(b.position() + 1) != (byte) 0x01) {
            throw new RecordDecodingException("payload is not Avro single-object encoding");
        }
        long fp = b.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(b.position() + 2);
        GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(fp, this::readerFor);
        if (reader == NO_PATH) {
            missing.incrementAndGet();
            return null;
        }
        BinaryDecoder decoder = decoder(b);
        try {
            return field.valueOf(reader.read(null, decoder));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new RecordDecodingException("payload does not decode for slice field " + field + ": " + e, e);
        }
    }

    /** The slice value of a {@code StateRecord} value as written to {@code <ns>.state}. */
    public String readStateRecord(byte[] stateRecordValue) {
        return read(Envelopes.payloadOfStateRecord(stateRecordValue));
    }

    /** Payloads whose writer schema lacks the field, put in no slice. */
    public long missingField() {
        return missing.get();
    }

    private static final GenericDatumReader<GenericRecord> NO_PATH = new GenericDatumReader<>();

    private GenericDatumReader<GenericRecord> readerFor(long fingerprint) {
        Schema writer = resolver.resolve(fingerprint);
        if (writer.getType() != Schema.Type.RECORD || !field.fits(writer)) {
            return NO_PATH;
        }
        Schema projection;
        try {
            projection = field.projection(writer);
        } catch (AvroRuntimeException e) {
            projection = writer; // e.g. a recursive type the projection cannot redefine: decode it whole
        }
        return new GenericDatumReader<>(writer, projection);
    }

    private static BinaryDecoder decoder(ByteBuffer b) {
        int start = b.position() + AvroCodec.HEADER_LENGTH;
        int length = b.remaining() - AvroCodec.HEADER_LENGTH;
        BinaryDecoder d;
        if (b.hasArray()) {
            d = DecoderFactory.get().binaryDecoder(b.array(), b.arrayOffset() + start, length, DECODERS.get());
        } else {
            byte[] copy = new byte[length];
            b.duplicate().position(start).get(copy);
            d = DecoderFactory.get().binaryDecoder(copy, DECODERS.get());
        }
        DECODERS.set(d);
        return d;
    }
}
