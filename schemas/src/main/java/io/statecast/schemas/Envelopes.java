package io.statecast.schemas;

import io.statecast.common.RecordDecodingException;
import io.statecast.common.SchemaNotFoundException;

/** Ready codecs for the envelope records of the Statecast topics (built-in schemas, no topic needed). */
public final class Envelopes {
    private static final AvroCodec<ChangeEvent> CHANGE_EVENT =
            AvroCodec.specific(ChangeEvent.class, SchemaResolver.builtIn());
    private static final AvroCodec<StateRecord> STATE_RECORD =
            AvroCodec.specific(StateRecord.class, SchemaResolver.builtIn());
    private static final AvroCodec<Checksum> CHECKSUM = AvroCodec.specific(Checksum.class, SchemaResolver.builtIn());
    private static final AvroCodec<Progress> PROGRESS = AvroCodec.specific(Progress.class, SchemaResolver.builtIn());
    private static final AvroCodec<Rejection> REJECTION = AvroCodec.specific(Rejection.class, SchemaResolver.builtIn());

    private Envelopes() {}

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
