package io.statecast.schemas;

import io.statecast.common.RecordDecodingException;
import io.statecast.common.SchemaNotFoundException;
import java.nio.ByteBuffer;

/** Ready codecs for the envelope records of the Statecast topics (built-in schemas, no topic needed). */
public final class Envelopes {
    private static final AvroCodec<ChangeEvent> CHANGE_EVENT =
            AvroCodec.specific(ChangeEvent.class, SchemaResolver.builtIn());
    private static final AvroCodec<StateRecord> STATE_RECORD =
            AvroCodec.specific(StateRecord.class, SchemaResolver.builtIn());
    private static final AvroCodec<Checksum> CHECKSUM = AvroCodec.specific(Checksum.class, SchemaResolver.builtIn());
    private static final AvroCodec<Progress> PROGRESS = AvroCodec.specific(Progress.class, SchemaResolver.builtIn());
    private static final AvroCodec<Rejection> REJECTION = AvroCodec.specific(Rejection.class, SchemaResolver.builtIn());

    private static final long STATE_RECORD_FINGERPRINT = AvroCodec.fingerprint(StateRecord.getClassSchema());
    private static final AvroCodec<SliceDefinition> SLICE_DEFINITION =
            AvroCodec.specific(SliceDefinition.class, SchemaResolver.builtIn());
    private static final AvroCodec<SliceChecksum> SLICE_CHECKSUM =
            AvroCodec.specific(SliceChecksum.class, SchemaResolver.builtIn());
    private static final AvroCodec<SliceProgress> SLICE_PROGRESS =
            AvroCodec.specific(SliceProgress.class, SchemaResolver.builtIn());

    private Envelopes() {}

    public static AvroCodec<SliceDefinition> sliceDefinition() {
        return SLICE_DEFINITION;
    }

    public static AvroCodec<SliceChecksum> sliceChecksum() {
        return SLICE_CHECKSUM;
    }

    public static AvroCodec<SliceProgress> sliceProgress() {
        return SLICE_PROGRESS;
    }

    /**
     * A value of a slice's checksums topic: a {@link SliceChecksum} or a {@link SliceProgress}, told
     * apart by the record name of the writer schema.
     */
    public static Object decodeSliceChecksumsValue(byte[] bytes) {
        long fp = AvroCodec.fingerprint(bytes);
        String name = SchemaResolver.builtIn().resolve(fp).getFullName();
        if (name.equals(SliceChecksum.getClassSchema().getFullName())) {
            return SLICE_CHECKSUM.decode(bytes);
        }
        if (name.equals(SliceProgress.getClassSchema().getFullName())) {
            return SLICE_PROGRESS.decode(bytes);
        }
        throw new RecordDecodingException("A slice checksums value of schema " + name + " ("
                + SchemaNotFoundException.hex(fp) + "): expected SliceChecksum or SliceProgress");
    }

    /**
     * The entity payload inside a {@code StateRecord} value as written to {@code <ns>.state}. For the
     * current schema it is read in place (the payload is the first field: a zig-zag varint length, then
     * the bytes) without decoding the whole record; an older schema is decoded.
     */
    public static ByteBuffer payloadOfStateRecord(byte[] stateRecordValue) {
        if (AvroCodec.fingerprint(stateRecordValue) != STATE_RECORD_FINGERPRINT) {
            return STATE_RECORD.decode(stateRecordValue).getPayload();
        }
        int pos = AvroCodec.HEADER_LENGTH;
        long raw = 0;
        int shift = 0;
        int b;
        do {
            if (pos >= stateRecordValue.length) {
                throw new RecordDecodingException("StateRecord truncated in its payload length");
            }
            b = stateRecordValue[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 64);
        long length = (raw >>> 1) ^ -(raw & 1);
        if (length < 0 || pos + length > stateRecordValue.length) {
            throw new RecordDecodingException("StateRecord payload length " + length + " past the end of the record");
        }
        return ByteBuffer.wrap(stateRecordValue, pos, (int) length).slice();
    }

    public static AvroCodec<ChangeEvent> changeEvent() {
        return CHANGE_EVENT;
    }

    public static AvroCodec<StateRecord> stateRecord() {
        return STATE_RECORD;
    }

    public static AvroCodec<Checksum> checksum() {
        return CHECKSUM;
    }

    public static AvroCodec<Progress> progress() {
        return PROGRESS;
    }

    public static AvroCodec<Rejection> rejection() {
        return REJECTION;
    }

    /**
     * A value of the checksums topic: a {@link Checksum} or a {@link Progress}, told apart by the
     * record name of the writer schema.
     */
    public static Object decodeChecksumsValue(byte[] bytes) {
        long fp = AvroCodec.fingerprint(bytes);
        String name = SchemaResolver.builtIn().resolve(fp).getFullName();
        if (name.equals(Checksum.getClassSchema().getFullName())) {
            return CHECKSUM.decode(bytes);
        }
        if (name.equals(Progress.getClassSchema().getFullName())) {
            return PROGRESS.decode(bytes);
        }
        throw new RecordDecodingException("A checksums-topic value of schema " + name + " ("
                + SchemaNotFoundException.hex(fp) + "): expected Checksum or Progress");
    }
}
