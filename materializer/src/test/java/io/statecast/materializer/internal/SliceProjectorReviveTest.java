package io.statecast.materializer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statecast.common.Namespace;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SliceField;
import io.statecast.schemas.SliceValueReader;
import io.statecast.schemas.StateRecord;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A task closed dirty is revived by Kafka Streams on the same processor instances: init again, over stores
 * restored to the last commit, then the changes since are processed again. The slice step must then hold what
 * the restored stores hold, not what the aborted work had counted.
 */
class SliceProjectorReviveTest {
    private static final Namespace NS = Namespace.of("revive");
    private static final AvroCodec<Pod> PODS = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private static final long TICK_AT = 60_000;

    @Test
    void initAgainOnTheSameInstanceEmitsTheChecksumsOfAFreshProjector() {
        SliceSettings settings = settings();
        SliceProjector revived = new SliceProjector(settings);
        init(revived, context());
        applyChanges(revived); // the aborted transaction's work: its slices store rows are rolled back
        MockProcessorContext<byte[], Routed> afterRevival = context();
        init(revived, afterRevival);
        applyChanges(revived); // the same changes, processed again after the revival

        SliceProjector fresh = new SliceProjector(settings);
        MockProcessorContext<byte[], Routed> freshContext = context();
        init(fresh, freshContext);
        applyChanges(fresh);

        List<String> expected = marks(freshContext);
        assertFalse(expected.isEmpty());
        assertEquals(expected, marks(afterRevival), "slice checksums after the revival");
    }

    // The records the slice step forwards at a tick that makes checksums due: digests and their srcOffsets.
    private static List<String> marks(MockProcessorContext<byte[], Routed> context) {
        context.resetForwards();
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(TICK_AT));
        return context.forwarded().stream().map(f -> describe(f.record())).collect(Collectors.toList());
    }

    private static String describe(Record<? extends byte[], ? extends Routed> r) {
        String headers = StreamSupport.stream(r.headers().spliterator(), false)
                .map(h -> h.key() + "=" + Arrays.toString(h.value()))
                .collect(Collectors.joining(","));
        String value = r.value().bytes() == null
                ? "tombstone"
                : Envelopes.sliceChecksum()
                        .decode(r.value().bytes())
                        .toString()
                        .replaceAll("\"emittedAt\": [^,}]*", "");
        return r.value().topic() + "/" + r.value().partition() + " " + headers + " " + value;
    }

    private static void applyChanges(SliceProjector projector) {
        Map<String, byte[]> last = new HashMap<>();
        long offset = 0;
        String[] nodes = {"node-a", "node-b", "node-c"};
        for (int i = 0; i < 30; i++, offset++) {
            String key = "pod-" + (i % 7);
            byte[] value = stateValue(key, nodes[i % nodes.length], i + 1L, offset);
            byte[] old = last.put(key, value);
            projector.onApplied(key.getBytes(StandardCharsets.UTF_8), old, value, i + 1L, offset);
        }
    }

    private static void init(SliceProjector projector, MockProcessorContext<byte[], Routed> context) {
        InMemoryKeyValueStore table = (InMemoryKeyValueStore) context.getStateStore(TopologyNames.TABLE_STORE);
        projector.init(context, table, () -> 29, limits());
    }

    // Task 0_0's context over fresh stores (as restored to the last commit, before which nothing was written).
    private static MockProcessorContext<byte[], Routed> context() {
        MockProcessorContext<byte[], Routed> context = new MockProcessorContext<>();
        context.addStateStore(new InMemoryKeyValueStore(TopologyNames.TABLE_STORE));
        context.addStateStore(new InMemoryKeyValueStore(TopologyNames.SLICES_STORE));
        return context;
    }

    private static byte[] stateValue(String name, String node, long version, long offset) {
        Pod pod = Pod.newBuilder()
                .setNamespace("default")
                .setName(name)
                .setUid("uid-" + name)
                .setNode(node)
                .setPhase(PodPhase.RUNNING)
                .setLabels(Map.of())
                .setContainers(List.of())
                .setRestartCount(0)
                .setCreatedAt(Instant.ofEpochMilli(1_000))
                .build();
        return Envelopes.stateRecord()
                .encode(StateRecord.newBuilder()
                        .setPayload(ByteBuffer.wrap(PODS.encode(pod)))
                        .setVersion(version)
                        .setUpdatedAt(Instant.ofEpochMilli(2_000))
                        .setOriginPartition(0)
                        .setOriginOffset(offset)
                        .setProducerId("test")
                        .setTraceId(null)
                        .build());
    }

    private static SliceSettings settings() {
        ActiveSlice byNode = new ActiveSlice(
                "by-node",
                4,
                NS.slice("by-node"),
                NS.sliceChecksums("by-node"),
                new SliceValueReader(SliceField.parse("node"), SchemaResolver.builtIn()));
        return new SliceSettings(
                () -> List.of(byNode),
                Clock.fixed(Instant.ofEpochMilli(0), ZoneOffset.UTC),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                new ChecksumRequests(),
                new Counters(new SimpleMeterRegistry(), NS.name()),
                100);
    }

    private static SizeLimits limits() {
        return new SizeLimits(
                NS,
                1_000_000,
                1_000_000,
                false,
                topics -> topics.stream().collect(Collectors.toMap(t -> t, t -> 1_000_000)),
                Clock.fixed(Instant.ofEpochMilli(0), ZoneOffset.UTC));
    }
}
