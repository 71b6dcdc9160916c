package io.statecast.bench.internal;

import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.testkit.KafkaFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The benchmark data set: N records of a 64-byte key and a 200-byte value on 6 partitions. Values are
 * single-object Avro records {@code Blob{data: bytes}} (10-byte header + 2-byte length + 188 random
 * bytes = 200 bytes), so every contender reads exactly the same bytes and a Statecast view can
 * decode them.
 */
public final class Data {
    public static final Schema BLOB = SchemaBuilder.record("Blob")
            .namespace("io.statecast.bench")
            .fields()
            .requiredBytes("data")
            .endRecord();
    public static final int KEY_BYTES = 64;
    public static final int VALUE_BYTES = 200;
    /** Where the 188 data bytes start in a value: the 10-byte single-object header, then a 2-byte length. */
    public static final int PAYLOAD_OFFSET = 12;

    private static final AvroCodec<GenericRecord> CODEC = AvroCodec.generic(BLOB, SchemaResolver.builtIn());

    private Data() {}

    public static byte[] key(int i) {
        byte[] k = String.format("key-%060d", i).getBytes(StandardCharsets.US_ASCII);
        return k;
    }

    public static byte[] value(Random r) {
        byte[] data = new byte[188];
        r.nextBytes(data);
        GenericRecord g = new GenericData.Record(BLOB);
        g.put("data", ByteBuffer.wrap(data));
        return CODEC.encode(g);
    }

    /** Creates a compacted topic and writes keys [from, to) with fresh random values. */
    public static void write(KafkaFixture kafka, String topic, int from, int to, long seed) {
        Random r = new Random(seed);
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(50_000);
        for (int i = from; i < to; i++) {
            batch.add(new ProducerRecord<>(topic, key(i), value(r)));
            if (batch.size() == 50_000) {
                kafka.produce(topic, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            kafka.produce(topic, batch);
        }
    }

    public static void create(KafkaFixture kafka, String topic) {
        kafka.createTopic(topic, 6, Map.of("cleanup.policy", "compact", "segment.bytes", "1073741824"));
    }
}
