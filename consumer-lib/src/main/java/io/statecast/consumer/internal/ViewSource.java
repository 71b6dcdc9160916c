package io.statecast.consumer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastHeaders;
import io.statecast.consumer.ViewConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a view reads: a topic of state records, the topic of its checksums and progress marks (null for
 * a plain topic, which has none), and which partitions (empty: all). A slice view reads the partitions
 * of its values in {@code <ns>.slice.<name>}; once started it knows its {@link SliceSelection} and
 * splits each slice partition into one table per source partition. Partition numbers of the Kafka
 * topic and of the view's tables are the same, except for a slice view, which maps them here.
 *
 * @param name the namespace or topic, for thread names and log lines ({@code [view ns=k8s]})
 * @param slice the resolved slice, or null (not a slice view, or not started yet)
 */
record ViewSource(
        String name,
        String stateTopic,
        String marksTopic,
        Set<Integer> partitions,
        String sliceName,
        SliceSelection slice) {

    static ViewSource of(ViewConfig config) {
        if (config.namespace() == null) {
            return new ViewSource(config.topic(), config.topic(), null, config.partitions(), null, null);
        }
        Namespace ns = Namespace.of(config.namespace());
        if (config.slice() != null) {
            return new ViewSource(
                    ns.name(),
                    ns.slice(config.slice()),
                    ns.sliceChecksums(config.slice()),
                    Set.of(),
                    config.slice(),
                    null);
        }
        return new ViewSource(ns.name(), ns.state(), ns.checksums(), config.partitions(), null, null);
    }

    /** Whether this is a slice view. */
    boolean sliced() {
        return sliceName != null;
    }

    /** This source with its slice resolved: it reads the slice partitions of the selected values. */
    ViewSource with(SliceSelection s) {
        return new ViewSource(name, stateTopic, marksTopic, s.partitions(), sliceName, s);
    }

    /** Whether this view reads partition {@code p} of the state topic. */
    boolean reads(int p) {
        return sliced() ? partitions.contains(p) : partitions.isEmpty() || partitions.contains(p);
    }

    /** The view's tables of Kafka partition {@code p}: itself, or one per source partition of a slice. */
    List<Integer> tables(int p) {
        if (slice == null) {
            return List.of(p);
        }
        List<Integer> out = new ArrayList<>(slice.sources());
        for (int s = 0; s < slice.sources(); s++) {
            out.add(slice.table(p, s));
        }
        return out;
    }

    /** The tables of these Kafka partitions. */
    List<Integer> tables(Collection<Integer> parts) {
        List<Integer> out = new ArrayList<>();
        parts.forEach(p -> out.addAll(tables(p)));
        return out;
    }

    /** A table's name in log lines and alarms: "partition 3", or "slice partition 7 (source partition 0)". */
    String describe(int table) {
        return slice == null
                ? "partition " + table
                : "slice partition " + slice.slicePartitionOf(table) + " (source partition " + slice.sourceOf(table)
                        + ")";
    }

    /** The Kafka partition a table reads. */
    int kafkaOf(int table) {
        return slice == null ? table : slice.slicePartitionOf(table);
    }

    /** The Kafka partitions of these tables, each once. */
    Set<Integer> kafkaOf(Collection<Integer> tables) {
        Set<Integer> out = new TreeSet<>();
        tables.forEach(t -> out.add(kafkaOf(t)));
        return out;
    }

    /** The table of (Kafka partition, source partition): the partition itself unless a slice view. */
    int tableOf(int kafkaPartition, int sourcePartition) {
        if (slice == null) {
            return kafkaPartition;
        }
        return sourcePartition < 0 || sourcePartition >= slice.sources()
                ? -1
                : slice.table(kafkaPartition, sourcePartition);
    }

    /**
     * The table a record of the state (or slice) topic goes to; -1 for a slice record whose
     * {@code sc.srcPartition} is missing or beyond the state topic's partitions.
     */
    int tableOf(ConsumerRecord<byte[], byte[]> r) {
        if (slice == null) {
            return r.partition();
        }
        long src = StatecastHeaders.readLong(r.headers(), StatecastHeaders.SRC_PARTITION, -1);
        return tableOf(r.partition(), (int) Math.max(-1, Math.min(src, Integer.MAX_VALUE)));
    }

    /** The namespace, or null for a view of a plain topic (which has no marks topic). */
    Namespace namespace() {
        return marksTopic == null ? null : Namespace.of(name);
    }

    /**
     * The topics whose partition counts must not change while the view reads: its own, and for a namespace
     * or slice view {@code <ns>.state} and {@code <ns>.changes} (see {@link PartitionCounts}).
     */
    Set<String> countedTopics() {
        Namespace ns = namespace();
        Set<String> out = new TreeSet<>(List.of(stateTopic));
        if (ns != null) {
            out.add(ns.state());
            out.add(ns.changes());
        }
        return out;
    }

    String logId() {
        return "[view ns=" + name + (sliceName == null ? "" : " slice=" + sliceName) + "]";
    }

    /** Thread names: {@code statecast-view-<name>-<role>}. */
    String threadName(String role) {
        return "statecast-view-" + name + (sliceName == null ? "" : "-" + sliceName) + "-" + role;
    }

    /** The snapshot's file name: a slice view's names its values too. */
    String snapshotFile() {
        return slice == null ? stateTopic + ".snapshot" : stateTopic + "." + slice.valuesTag() + ".snapshot";
    }
}
