package io.statecast.schemas;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer over an {@link AvroCodec}; null stays null (a tombstone). */
public final class AvroSerializer<T> implements Serializer<T> {
    private final AvroCodec<T> codec;

    public AvroSerializer(AvroCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.encode(data);
    }
}
