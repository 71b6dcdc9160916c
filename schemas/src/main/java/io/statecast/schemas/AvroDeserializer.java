package io.statecast.schemas;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer over an {@link AvroCodec}; null stays null. Throws the codec's typed exceptions
 * ({@code RecordDecodingException}, {@code SchemaNotFoundException}) on bad bytes.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
    private final AvroCodec<T> codec;

    public AvroDeserializer(AvroCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }
}
