package io.statecast.schemas;

import io.statecast.common.RecordDecodingException;
import io.statecast.common.SchemaNotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro single-object encoding ({@code C3 01}, 8-byte little-endian fingerprint, binary body) of one
 * record type. Decoding resolves the writer schema by fingerprint through a {@link SchemaResolver}
 * and reads into this codec's reader schema with Avro's schema resolution, so old and new writers
 * are both read. Any input bytes give a value or a typed exception, never anything else. Thread-safe.
 *
 * <pre>{@code
 * AvroCodec<Pod> pods = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
 * byte[] bytes = pods.encode(pod);
 * Pod back = pods.decode(bytes);
 * }</pre>
 *
 * <p>A codec {@link #asWritten} has no reader schema: it decodes each value into a generic record of its own
 * writer schema (tools that show whatever was written, in any schema version) and encodes a record with the
 * record's own schema.
 */
public final class AvroCodec<T> {
    /** Length of the single-object header: 2 marker bytes and the 8-byte fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private static final java.util.Set<String> TRUSTED_PACKAGES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Schema readerSchema;
    private final long readerFingerprint;
    private final SchemaResolver resolver;
    private final boolean specific;
    private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<DatumWriter<T>> writer;
    private final byte[] header;

    private AvroCodec(Schema readerSchema, SchemaResolver resolver, boolean specific) {
        this.readerSchema = readerSchema;
        this.resolver = resolver;
        this.specific = specific;
        this.readerFingerprint = readerSchema == null ? 0 : resolver.addKnown(readerSchema);
        this.header = readerSchema == null ? null : header(readerFingerprint);
        this.writer = readerSchema == null
                ? null
                : ThreadLocal.withInitial(() ->
                        specific ? new SpecificDatumWriter<>(readerSchema) : new GenericDatumWriter<>(readerSchema));
    }

    /** A codec of a generated Avro class. Its package becomes trusted by Avro's class-security check. */
    public static <T extends SpecificRecord> AvroCodec<T> specific(Class<T> type, SchemaResolver resolver) {
        trust(type.getPackageName());
        return new AvroCodec<>(SpecificData.get().getSchema(type), resolver, true);
    }

    // Avro 1.12 instantiates only trusted classes when reading specific records; the generated classes
    // (and their nested records and enums) live in the package of the class the caller chose.
    static synchronized void trust(String packageName) {
        if (TRUSTED_PACKAGES.add(packageName)) {
            ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(
                    ClassSecurityValidator.composite(previous, c -> packageName.equals(c.getPackageName())));
        }
    }

    /** A codec of generic records of {@code readerSchema}. */
    public static <T> AvroCodec<T> generic(Schema readerSchema, SchemaResolver resolver) {
        return new AvroCodec<>(readerSchema, resolver, false);
    }

    /**
     * A codec of generic records that reads each value with its own writer schema (found through
     * {@code resolver}) instead of resolving it into one reader schema, and writes a record with the
     * record's own schema. Two values written with two versions of a schema decode into records of those
     * two versions.
     */
    public static AvroCodec<GenericRecord> asWritten(SchemaResolver resolver) {
        return new AvroCodec<>(null, resolver, false);
    }

    /** The schema this codec writes and reads into; null for a codec {@link #asWritten}. */
    public Schema schema() {
        return readerSchema;
    }

    /** Fingerprint of {@link #schema()} (0 for a codec {@link #asWritten}). */
    public long schemaFingerprint() {
        return readerFingerprint;
    }

    /** Single-object encoding of {@code value} with this codec's schema. */
    public byte[] encode(T value) {
        if (readerSchema == null) {
            return encodeAsWritten((GenericRecord) value);
        }
        return encode(value, header, writer.get());
    }

    private byte[] encodeAsWritten(GenericRecord value) {
        Schema schema = value.getSchema();
        return encode(value, header(resolver.addKnown(schema)), new GenericDatumWriter<GenericRecord>(schema));
    }

    private static <T> byte[] encode(T value, byte[] header, DatumWriter<T> datumWriter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(header, 0, HEADER_LENGTH);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            datumWriter.write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes single-object-encoded bytes.
     *
     * @throws RecordDecodingException when the bytes are not a valid encoding
     * @throws SchemaNotFoundException when the writer schema is unknown
     */
    public T decode(byte[] bytes) {
        long fp = fingerprint(bytes);
        DatumReader<T> reader = readers.computeIfAbsent(fp, this::newReader);
        BinaryDecoder decoder =
                DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new RecordDecodingException(
                        "Trailing bytes after an Avro record of fingerprint " + SchemaNotFoundException.hex(fp));
            }
            return value;
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException
                | ClassCastException
                | IllegalArgumentException
                | UnsupportedOperationException e) {
            throw new RecordDecodingException(
                    "Cannot decode an Avro record of fingerprint " + SchemaNotFoundException.hex(fp) + " as "
                            + (readerSchema == null ? "written" : readerSchema.getFullName()) + ": " + e,
                    e);
        }
    }

    /**
     * The writer-schema fingerprint of single-object-encoded bytes.
     *
     * @throws RecordDecodingException when the bytes do not start with the single-object header
     */
    public static long fingerprint(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new RecordDecodingException(
                    "Not Avro single-object encoding (expected C3 01 and an 8-byte fingerprint, got "
                            + (bytes == null ? "null" : bytes.length + " bytes") + ")");
        }
        long fp = 0;
        for (int i = 9; i >= 2; i--) {
            fp = (fp << 8) | (bytes[i] & 0xffL);
        }
        return fp;
    }

    /** The writer-schema fingerprint of single-object-encoded bytes from the buffer's position (not moved). */
    public static long fingerprint(ByteBuffer bytes) {
        int at = bytes.position();
        if (bytes.remaining() < HEADER_LENGTH || bytes.get(at) != MARKER_0 || bytes.get(at + 1) != MARKER_1) {
            throw new RecordDecodingException("Not Avro single-object encoding (" + bytes.remaining() + " bytes)");
        }
        long fp = 0;
        for (int i = 9; i >= 2; i--) {
            fp = (fp << 8) | (bytes.get(at + i) & 0xffL);
        }
        return fp;
    }

    /**
     * Resolves the writer schema of this fingerprint ahead of decoding, so that a lookup in the schemas
     * topic (which may wait and read) happens where the caller chooses, e.g. outside a lock.
     *
     * @return false when the schema is unknown (decoding will throw {@link SchemaNotFoundException})
     */
    public boolean prepare(long fingerprint) {
        try {
            readers.computeIfAbsent(fingerprint, this::newReader);
            return true;
        } catch (SchemaNotFoundException e) {
            return false;
        }
    }

    /** Fingerprint of a schema, as carried in single-object encoding. */
    public static long fingerprint(Schema schema) {
        return SchemaResolver.fingerprint(schema);
    }

    private DatumReader<T> newReader(long fp) {
        Schema writerSchema = resolver.resolve(fp);
        Schema reader = readerSchema == null ? writerSchema : readerSchema;
        return specific
                ? new SpecificDatumReader<>(writerSchema, reader)
                : new GenericDatumReader<>(writerSchema, reader);
    }

    private static byte[] header(long fp) {
        byte[] h = new byte[HEADER_LENGTH];
        h[0] = MARKER_0;
        h[1] = MARKER_1;
        for (int i = 0; i < 8; i++) {
            h[2 + i] = (byte) (fp >>> (8 * i));
        }
        return h;
    }
}
