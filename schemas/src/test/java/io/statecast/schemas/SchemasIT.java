package io.statecast.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.Namespace;
import io.statecast.common.SchemaNotFoundException;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchemasIT {
    static final Schema WIDGET = SchemaBuilder.record("Widget")
            .namespace("com.example")
            .fields()
            .requiredString("name")
            .requiredInt("size")
            .endRecord();

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordTypeRoundTripsThroughARealTopic(KafkaFixture kafka) {
        String topic = kafka.newNamespace() + ".records";
        kafka.createTopic(topic, 1, Map.of());
        List<Object> records = AvroCodecTest.everyRecord();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (Object r : records) {
            AvroSerde serde = new AvroSerde(AvroCodec.specific((Class) r.getClass(), SchemaResolver.builtIn()));
            out.add(new ProducerRecord<>(topic, serde.serializer().serialize(topic, r)));
        }
        kafka.produce(topic, out);
        List<ConsumerRecord<byte[], byte[]>> in = kafka.readToEnd(topic);
        for (int i = 0; i < records.size(); i++) {
            AvroSerde serde =
                    new AvroSerde(AvroCodec.specific((Class) records.get(i).getClass(), SchemaResolver.builtIn()));
            assertEquals(
                    records.get(i),
                    serde.deserializer().deserialize(topic, in.get(i).value()));
        }
    }

    @Test
    void aFingerprintUnknownToTheReaderIsResolvedThroughTheSchemasTopic(KafkaFixture kafka) {
        Namespace ns = schemasTopic(kafka);
        GenericRecord widget = new GenericData.Record(WIDGET);
        widget.put("name", "w");
        widget.put("size", 3);
        byte[] bytes;
        try (SchemaTopic writerSide = SchemaTopic.open(kafka.clientConfig(), ns)) {
            writerSide.register(WIDGET);
            writerSide.register(WIDGET); // idempotent
            bytes = AvroCodec.<GenericRecord>generic(WIDGET, SchemaResolver.withTopic(writerSide))
                    .encode(widget);
        }
        Schema readerView = SchemaBuilder.record("Widget")
                .namespace("com.example")
                .fields()
                .requiredString("name")
                .endRecord();
        try (SchemaTopic readerSide = SchemaTopic.open(kafka.clientConfig(), ns)) {
            GenericRecord read = AvroCodec.<GenericRecord>generic(readerView, SchemaResolver.withTopic(readerSide))
                    .decode(bytes);
            assertEquals("w", read.get("name").toString());
        }
        assertEquals(1, kafka.readToEnd(ns.schemas()).size(), "registering twice writes one record");
    }

    /**
     * A writer registers a schema and sends at once; a reader that read the topic a moment before (for
     * another miss) must still find it. The reader's clock stands still, so "a moment before" is certain.
     */
    @Test
    void aSchemaRegisteredJustAfterTheReadersLastReadIsFoundOnItsFirstUse(KafkaFixture kafka) {
        Namespace ns = schemasTopic(kafka);
        long frozen = System.nanoTime();
        try (SchemaTopic writer = SchemaTopic.open(kafka.clientConfig(), ns);
                SchemaTopic reader = SchemaTopic.open(kafka.clientConfig(), ns, () -> frozen)) {
            assertEquals(Optional.empty(), reader.lookup(42L), "a miss: the reader reads the topic");
            long fp = writer.register(WIDGET);
            assertEquals(Optional.of(WIDGET), reader.lookup(fp), "registered before its first use");
        }
    }

    @Test
    void aFingerprintFoundNowhereIsATypedErrorNamingIt(KafkaFixture kafka) {
        Namespace ns = schemasTopic(kafka);
        kafka.produce(
                ns.schemas(),
                List.of(new ProducerRecord<>(
                        ns.schemas(),
                        "0000".getBytes(StandardCharsets.UTF_8),
                        "not a schema".getBytes(StandardCharsets.UTF_8))));
        GenericRecord widget = new GenericData.Record(WIDGET);
        widget.put("name", "w");
        widget.put("size", 3);
        byte[] bytes = AvroCodec.<GenericRecord>generic(WIDGET, SchemaResolver.builtIn())
                .encode(widget);
        try (SchemaTopic topic = SchemaTopic.open(kafka.clientConfig(), ns)) {
            AvroCodec<GenericRecord> reader = AvroCodec.generic(
                    SchemaBuilder.record("Other").fields().endRecord(), SchemaResolver.withTopic(topic));
            SchemaNotFoundException e = assertThrows(SchemaNotFoundException.class, () -> reader.decode(bytes));
            assertEquals(SchemaResolver.fingerprint(WIDGET), e.fingerprint());
            assertEquals(1, topic.corruptEntries(), "the corrupt registry entry is skipped and counted");
        }
    }

    @Test
    void theLatestValueSchemaIsTheLastOneRegisteredAndOnlyOfOneRecord(KafkaFixture kafka) {
        Namespace ns = schemasTopic(kafka);
        Schema widget2 = SchemaBuilder.record("Widget")
                .namespace("com.example")
                .fields()
                .requiredString("name")
                .requiredInt("size")
                .optionalString("colour")
                .endRecord();
        try (SchemaTopic writer = SchemaTopic.open(kafka.clientConfig(), ns);
                SchemaTopic reader = SchemaTopic.open(kafka.clientConfig(), ns)) {
            NoValueSchemaException none = assertThrows(
                    NoValueSchemaException.class, () -> ValueSchemas.of(reader).latest());
            assertEquals(List.of(), none.records());
            writer.register(WIDGET);
            writer.register(widget2);
            writer.register(WIDGET); // already there: stays the older one
            assertEquals(List.of(WIDGET, widget2), ValueSchemas.of(reader).all());
            assertEquals(widget2, ValueSchemas.of(reader).latest());
            assertEquals(true, ValueSchemas.of(reader).anyHasField("colour"));
            writer.register(
                    SchemaBuilder.record("Gadget").fields().requiredString("id").endRecord());
            NoValueSchemaException two = assertThrows(
                    NoValueSchemaException.class, () -> ValueSchemas.of(reader).latest());
            assertEquals(List.of("Gadget", "com.example.Widget"), two.records());
        }
    }

    private static Namespace schemasTopic(KafkaFixture kafka) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        kafka.createTopic(ns.schemas(), 1, Map.of("cleanup.policy", "compact"));
        return ns;
    }
}
