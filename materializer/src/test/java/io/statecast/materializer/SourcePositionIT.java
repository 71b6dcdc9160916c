package io.statecast.materializer;

import static io.statecast.materializer.MaterializerFixture.key;
import static io.statecast.testkit.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastHeaders;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Op;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SourcePosition;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A capture replays after a crash: the replayed changes (deletes included) create no versions and no rejections. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SourcePositionIT {
    private static final AvroCodec<Node> NODES = AvroCodec.specific(Node.class, SchemaResolver.builtIn());

    @Test
    void replayedChangesAreDroppedAndStateRecordsCarryTheirSourcePosition(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of())) {
            List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
            in.add(change(ns, "a", node(1), 10, 1)); // v1
            in.add(change(ns, "a", node(2), 20, 5)); // v2
            in.add(change(ns, "a", node(1), 10, 1)); // replay: dropped (an older payload would come back)
            in.add(change(ns, "a", node(2), 20, 5)); // replay
            in.add(change(ns, "a", null, 30, 2)); // tombstone v3
            in.add(change(ns, "a", null, 30, 2)); // replayed delete: no DELETE_OF_ABSENT_KEY rejection
            in.add(change(ns, "a", node(2), 20, 5)); // replay after the delete: the key stays deleted
            in.add(change(ns, "a", node(3), 30, 9)); // later in the same transaction: v4
            in.add(change(ns, "done", node(9), 40, 1));
            kafka.produce(ns.changes(), in);

            waitFor(
                    "the last change is materialized",
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns.state()).stream().anyMatch(r -> key(r).equals("done")));
            List<ConsumerRecord<byte[], byte[]>> a = kafka.readToEnd(ns.state()).stream()
                    .filter(r -> key(r).equals("a"))
                    .toList();
            assertEquals(
                    List.of(1L, 2L, 3L, 4L),
                    a.stream().map(MaterializerFixture::version).toList());
            assertEquals(List.of(10L, 20L, 30L, 30L), headers(a, StatecastHeaders.SOURCE_POSITION));
            assertEquals(List.of(1L, 5L, 2L, 9L), headers(a, StatecastHeaders.SOURCE_SEQUENCE));
            assertEquals(List.of(77L, 77L, 77L, 77L), headers(a, StatecastHeaders.SOURCE_TX_ID));
            assertNull(a.get(2).value(), "the delete is a tombstone with the headers");
            assertEquals(
                    ByteBuffer.wrap(NODES.encode(node(3))),
                    Envelopes.stateRecord().decode(a.get(3).value()).getPayload(),
                    "the last value is the newest change's");
            assertEquals(4, m.counts().replays(), "replays counted");
            assertEquals(List.of(), kafka.readToEnd(ns.rejections()), "replays are not rejections");
        }
    }

    private static List<Long> headers(List<ConsumerRecord<byte[], byte[]>> records, String name) {
        return records.stream()
                .map(r -> StatecastHeaders.readLong(r.headers(), name, -1))
                .toList();
    }

    private static Node node(int cpu) {
        return Node.newBuilder()
                .setName("a")
                .setZone("z1")
                .setCpuMillis(cpu)
                .setMemoryBytes(1)
                .setJoinedAt(Instant.EPOCH)
                .build();
    }

    private static ProducerRecord<byte[], byte[]> change(Namespace ns, String key, Node value, long pos, long seq) {
        ChangeEvent e = ChangeEvent.newBuilder()
                .setOp(value == null ? Op.DELETE : Op.UPSERT)
                .setPayload(value == null ? null : ByteBuffer.wrap(NODES.encode(value)))
                .setProducerId("capture-it")
                .setClientTimestamp(Instant.now())
                .setSource(SourcePosition.newBuilder()
                        .setPosition(pos)
                        .setSequence(seq)
                        .setTxId(77L)
                        .build())
                .build();
        return new ProducerRecord<>(
                ns.changes(),
                key.getBytes(StandardCharsets.UTF_8),
                Envelopes.changeEvent().encode(e));
    }
}
