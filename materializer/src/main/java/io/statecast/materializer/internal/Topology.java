package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.state.Stores;

/** {@code <ns>.changes} → apply (table, meta and slices stores) → state, history, rejections, checksums, slices. */
public final class Topology {
    public static final String TABLE_STORE = "table";
    public static final String META_STORE = "meta";
    /** Per slice: digests by slice value, per slice partition positions, back-fill progress. */
    public static final String SLICES_STORE = "slices";

    static final String SOURCE = "changes";
    static final String APPLY = "apply";
    static final String STATE_SINK = "state";
    static final String HISTORY_SINK = "history";
    static final String REJECTIONS_SINK = "rejections";
    static final String CHECKSUMS_SINK = "checksums";
    static final String SLICES_SINK = "slices";

    private Topology() {}

    public static org.apache.kafka.streams.Topology build(
            Namespace ns, ApplyProcessor.Settings settings, SliceSettings slices) {
        org.apache.kafka.streams.Topology t = new org.apache.kafka.streams.Topology();
        ByteArraySerializer keys = new ByteArraySerializer();
        // Never a reset by itself: the starting offsets are set before start (StartupChecks), and a position
        // that fell off the log (changes deleted before they were processed) must stop the materializer, not
        // skip them in silence.
        t.addSource(
                AutoOffsetReset.none(), SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), ns.changes());
        t.addProcessor(APPLY, () -> new ApplyProcessor(settings, new SliceProjector(slices)), SOURCE);
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(TABLE_STORE), Serdes.Bytes(), Serdes.ByteArray()),
                APPLY);
        // The meta row (digest, offsets) changes with every record; cached, it reaches RocksDB and its
        // changelog once per commit instead of once per record. Caches are flushed before each
        // exactly-once commit, so the committed meta always matches the committed table.
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(META_STORE), Serdes.Integer(), Serdes.ByteArray())
                        .withCachingEnabled(),
                APPLY);
        // Slice digests and positions change with every projected record: cached like the meta row.
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(SLICES_STORE), Serdes.Bytes(), Serdes.ByteArray())
                        .withCachingEnabled(),
                APPLY);
        t.addSink(STATE_SINK, ns.state(), keys, Routed.SERIALIZER, Routed.PARTITIONER, APPLY);
        if (settings.history()) {
            t.addSink(HISTORY_SINK, ns.history(), keys, Routed.SERIALIZER, Routed.PARTITIONER, APPLY);
        }
        t.addSink(REJECTIONS_SINK, ns.rejections(), keys, Routed.SERIALIZER, APPLY);
        t.addSink(CHECKSUMS_SINK, ns.checksums(), keys, Routed.SERIALIZER, Routed.PARTITIONER, APPLY);
        // Slice records, checksums and marks: the topic of each record is chosen by the record, so a slice
        // defined while the materializer runs needs no new topology.
        t.addSink(SLICES_SINK, Routed.TOPIC, keys, Routed.SERIALIZER, Routed.PARTITIONER, APPLY);
        return t;
    }
}
