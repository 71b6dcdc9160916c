package io.statecast.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.RecordDecodingException;
import io.statecast.common.SchemaNotFoundException;
import io.statecast.common.StatecastException;
import io.statecast.schemas.demo.Container;
import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
    static final Instant T = Instant.ofEpochMilli(1_700_000_000_000L);

    static ChangeEvent change() {
        return ChangeEvent.newBuilder()
                .setOp(Op.UPSERT)
                .setPayload(ByteBuffer.wrap(new byte[] {1, 2}))
                .setExpectedVersion(3L)
                .setProducerId("p1")
                .setClientTimestamp(T)
                .setTraceId("t")
                .build();
    }

    static Pod pod() {
        return Pod.newBuilder()
                .setNamespace("default")
                .setName("web-1")
                .setUid("u1")
                .setNode("node-1")
                .setPhase(PodPhase.RUNNING)
                .setLabels(Map.of("app", "web"))
                .setContainers(List.of(Container.newBuilder()
                        .setName("web")
                        .setImage("nginx:1.27")
                        .setCpuMillis(250)
                        .setMemoryBytes(1 << 28)
                        .setPorts(List.of(80))
                        .build()))
                .setCreatedAt(T)
                .setStartedAt(T)
                .build();
    }

    static List<Object> everyRecord() {
        return List.of(
                change(),
                StateRecord.newBuilder()
                        .setPayload(ByteBuffer.wrap(new byte[] {9}))
                        .setVersion(4)
                        .setUpdatedAt(T)
                        .setOriginPartition(2)
                        .setOriginOffset(77)
                        .setProducerId("p1")
                        .build(),
                Checksum.newBuilder()
                        .setPartition(1)
                        .setSrcOffset(10)
                        .setCount(3)
                        .setLanes(List.of(1L, -2L))
                        .setEmittedAt(T)
                        .build(),
                Progress.newBuilder()
                        .setPartition(1)
                        .setSrcOffset(11)
                        .setEmittedAt(T)
                        .build(),
                Rejection.newBuilder()
                        .setReason(RejectionReason.NULL_KEY)
                        .setMessage("m")
                        .setTopic("ns.changes")
                        .setPartition(0)
                        .setOffset(5)
                        .setRawValue(ByteBuffer.wrap(new byte[] {7}))
                        .setRejectedAt(T)
                        .build(),
                pod(),
                Node.newBuilder()
                        .setName("node-1")
                        .setZone("z1")
                        .setCpuMillis(4000)
                        .setMemoryBytes(1L << 34)
                        .setJoinedAt(T)
                        .build());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordTypeRoundTrips() {
        for (Object record : everyRecord()) {
            AvroCodec codec = AvroCodec.specific((Class) record.getClass(), SchemaResolver.builtIn());
            byte[] bytes = codec.encode(record);
            assertEquals(codec.schemaFingerprint(), AvroCodec.fingerprint(bytes));
            assertEquals(record, codec.decode(bytes));
        }
    }

    @Test
    void checksumsTopicValuesAreToldApartByFingerprint() {
        Object c = everyRecord().get(2);
        Object p = everyRecord().get(3);
        assertEquals(c, Envelopes.decodeChecksumsValue(Envelopes.checksum().encode((Checksum) c)));
        assertEquals(p, Envelopes.decodeChecksumsValue(Envelopes.progress().encode((Progress) p)));
        assertThrows(
                RecordDecodingException.class,
                () -> Envelopes.decodeChecksumsValue(Envelopes.changeEvent().encode(change())));
    }

    @Test
    void aNewReaderReadsAnOldWriterAndAnOldReaderReadsANewWriter() throws IOException {
        Schema v2 = SchemaEvolutionTest.parse("/evolution/ChangeEvent-v2.avsc");
        SchemaResolver resolver = SchemaResolver.builtIn();
        resolver.addKnown(v2);
        AvroCodec<GenericRecord> newCodec = AvroCodec.generic(v2, resolver);

        // new writer (with tenant) → current specific reader
        ChangeEvent c = change();
        GenericRecord written = new GenericData.Record(v2);
        written.put("op", new GenericData.EnumSymbol(v2.getField("op").schema(), "UPSERT"));
        written.put("payload", ByteBuffer.wrap(new byte[] {1, 2}));
        written.put("expectedVersion", 3L);
        written.put("producerId", "p1");
        written.put("clientTimestamp", T.toEpochMilli());
        written.put("traceId", "t");
        written.put("tenant", "acme");
        assertEquals(c, Envelopes.changeEvent().decode(newCodec.encode(written)));

        // old writer (current) → new generic reader: the new field takes its default
        GenericRecord read = newCodec.decode(Envelopes.changeEvent().encode(c));
        assertNull(read.get("tenant"));
        assertEquals("p1", read.get("producerId").toString());
    }

    @Test
    void changeEventV1AndTheCurrentVersionWithASourcePositionReadEachOther() {
        Schema v1 = io.statecast.schemas.internal.ReleasedSchemas.list().stream()
                .filter(r -> r.record().equals("ChangeEvent") && r.version().equals("v1"))
                .findFirst()
                .orElseThrow()
                .schema();
        AvroCodec<GenericRecord> v1Codec = AvroCodec.generic(v1, SchemaResolver.builtIn());
        ChangeEvent captured = ChangeEvent.newBuilder(change())
                .setSource(SourcePosition.newBuilder()
                        .setPosition(0x16B3748L)
                        .setSequence(0x16B3700L)
                        .setTxId(571L)
                        .build())
                .build();
        // a v1 reader (a materializer from before capture) reads a captured change, without the position
        GenericRecord old = v1Codec.decode(Envelopes.changeEvent().encode(captured));
        assertEquals("p1", old.get("producerId").toString());
        assertNull(old.getSchema().getField("source"));
        // the current reader reads a v1 writer: no source position
        ChangeEvent fromV1 = Envelopes.changeEvent().decode(v1Codec.encode(old));
        assertNull(fromV1.getSource());
        assertEquals(change(), fromV1);
        assertEquals(
                captured, Envelopes.changeEvent().decode(Envelopes.changeEvent().encode(captured)));
    }

    @Test
    void aCodecAsWrittenReadsEachValueWithItsOwnSchemaVersion() throws IOException {
        Schema v2 = SchemaEvolutionTest.parse("/evolution/ChangeEvent-v2.avsc");
        SchemaResolver resolver = SchemaResolver.builtIn();
        resolver.addKnown(v2);
        GenericRecord newer = new GenericData.Record(v2);
        newer.put("op", new GenericData.EnumSymbol(v2.getField("op").schema(), "DELETE"));
        newer.put("payload", ByteBuffer.wrap(new byte[] {1, 2}));
        newer.put("expectedVersion", 3L);
        newer.put("producerId", "p2");
        newer.put("clientTimestamp", T.toEpochMilli());
        newer.put("traceId", "t");
        newer.put("tenant", "acme");
        AvroCodec<GenericRecord> asWritten = AvroCodec.asWritten(resolver);

        GenericRecord old = asWritten.decode(Envelopes.changeEvent().encode(change()));
        GenericRecord back =
                asWritten.decode(AvroCodec.<GenericRecord>generic(v2, resolver).encode(newer));
        assertEquals(ChangeEvent.getClassSchema(), old.getSchema());
        assertFalse(old.hasField("tenant"), "the older value keeps its own schema");
        assertEquals(v2, back.getSchema());
        assertEquals("acme", back.get("tenant").toString());
        assertArrayEquals(AvroCodec.<GenericRecord>generic(v2, resolver).encode(newer), asWritten.encode(back));
        assertNull(asWritten.schema());
    }

    @Test
    void anUnknownFingerprintIsATypedError() {
        byte[] bytes = Envelopes.changeEvent().encode(change());
        bytes[5] ^= 0x5a;
        SchemaNotFoundException e = assertThrows(
                SchemaNotFoundException.class, () -> Envelopes.changeEvent().decode(bytes));
        assertEquals(AvroCodec.fingerprint(bytes), e.fingerprint());
    }

    @Test
    void truncatedAndMislabelledBytesAreTypedErrors() {
        byte[] bytes = Envelopes.changeEvent().encode(change());
        assertThrows(
                RecordDecodingException.class,
                () -> Envelopes.changeEvent().decode(Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(
                RecordDecodingException.class, () -> Envelopes.changeEvent().decode(new byte[] {1, 2, 3}));
        byte[] pod = AvroCodec.specific(Pod.class, SchemaResolver.builtIn()).encode(pod());
        assertThrows(StatecastException.class, () -> Envelopes.changeEvent().decode(pod));
    }

    @Property(tries = 2000)
    void anyBytesDecodeOrFailWithATypedError(@ForAll @Size(max = 200) byte[] garbage, @ForAll boolean withHeader) {
        byte[] input = garbage;
        if (withHeader) {
            byte[] header = Arrays.copyOf(Envelopes.changeEvent().encode(change()), AvroCodec.HEADER_LENGTH);
            input = new byte[header.length + garbage.length];
            System.arraycopy(header, 0, input, 0, header.length);
            System.arraycopy(garbage, 0, input, header.length, garbage.length);
        }
        try {
            Envelopes.changeEvent().decode(input);
        } catch (StatecastException expected) {
            // typed: fine
        }
    }
}
