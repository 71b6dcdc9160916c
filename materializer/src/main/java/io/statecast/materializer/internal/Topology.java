package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.state.Stores;

/** {@code <ns>.changes} → apply (table, meta and slices stores) → state, history, rejections, checksums, slices. */
public final class Topology {
    private Topology() {}

    public static org.apache.kafka.streams.Topology build(
            Namespace ns, ApplyProcessor.Settings settings, SliceSettings slices) {
        org.apache.kafka.streams.Topology t = new org.apache.kafka.streams.Topology();
        ByteArraySerializer keys = new ByteArraySerializer();
        // Never a reset by itself: the starting offsets are set before start (StartupChecks), and a position
        // that fell off the log (changes deleted before they were processed) must stop the materializer, not
        // skip them in silence.
        t.addSource(
                AutoOffsetReset.none(),
                TopologyNames.SOURCE,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                ns.changes());
        t.addProcessor(
                TopologyNames.APPLY,
                () -> new ApplyProcessor(settings, new SliceProjector(slices)),
                TopologyNames.SOURCE);
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(TopologyNames.TABLE_STORE), Serdes.Bytes(), Serdes.ByteArray()),
                TopologyNames.APPLY);
        // The meta row (digest, offsets) changes with every record; cached, it reaches RocksDB and its
        // changelog once per commit instead of once per record. Caches are flushed before each
        // exactly-once commit, so the committed meta always matches the committed table.
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(TopologyNames.META_STORE),
                                Serdes.Integer(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                TopologyNames.APPLY);
        // Slice digests and positions change with every projected record: cached like the meta row.
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(TopologyNames.SLICES_STORE),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                TopologyNames.APPLY);
        t.addSink(
                TopologyNames.STATE_SINK, ns.state(), keys, Routed.SERIALIZER, Routed.PARTITIONER, TopologyNames.APPLY);
        if (settings.history()) {
            t.addSink(
                    TopologyNames.HISTORY_SINK,
                    ns.history(),
                    keys,
                    Routed.SERIALIZER,
                    Routed.PARTITIONER,
                    TopologyNames.APPLY);
        }
        t.addSink(TopologyNames.REJECTIONS_SINK, ns.rejections(), keys, Routed.SERIALIZER, TopologyNames.APPLY);
        t.addSink(
                TopologyNames.CHECKSUMS_SINK,
                ns.checksums(),
                keys,
                Routed.SERIALIZER,
                Routed.PARTITIONER,
                TopologyNames.APPLY);
        // Slice records, checksums and marks: the topic of each record is chosen by the record, so a slice
        // defined while the materializer runs needs no new topology.
        t.addSink(
                TopologyNames.SLICES_SINK,
                Routed.TOPIC,
                keys,
                Routed.SERIALIZER,
                Routed.PARTITIONER,
                TopologyNames.APPLY);
        return t;
    }
}
