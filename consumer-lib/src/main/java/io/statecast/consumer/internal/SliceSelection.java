package io.statecast.consumer.internal;

import io.statecast.common.ConfigurationException;
import io.statecast.common.Namespace;
import io.statecast.common.SlicePartitioner;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.common.kafka.TopicReader;
import io.statecast.consumer.ViewConfig;
import io.statecast.schemas.SliceDefinition;
import io.statecast.schemas.SliceDefinitions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What a slice view reads, as found in Kafka when it starts: the slice's definition, the values it keeps,
 * the slice partitions holding them, and how many source ({@code <ns>.state}) partitions feed each slice
 * partition. The view keeps one table per (slice partition, source partition): the keys of a source
 * partition are its own, so each such table has its own digest, history, marks and checksums, exactly
 * as a state partition of a namespace view.
 *
 * @param sources the partition count of {@code <ns>.state} (and {@code <ns>.changes})
 */
record SliceSelection(String name, Set<String> values, int slicePartitions, int sources, Set<Integer> partitions) {

    /**
     * Reads the slice's definition and the state topic's partition count.
     *
     * @throws io.statecast.common.SliceNotFoundException when the namespace has no slice of that name
     * @throws ConfigurationException when the slice topic's partition count is not its definition's
     */
    static SliceSelection resolve(ViewConfig config) {
        Namespace ns = Namespace.of(config.namespace());
        Duration timeout = Duration.ofSeconds(30);
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(readerProperties(config), Map.of())) {
            Map<String, SliceDefinition> all = SliceDefinitions.read(c, ns, timeout);
            SliceDefinition d = SliceDefinitions.require(all, ns, config.slice());
            int sources = TopicReader.partitions(c, ns.state(), timeout).size();
            int actual =
                    TopicReader.partitions(c, ns.slice(d.getName()), timeout).size();
            if (actual != d.getPartitions()) { // values would be looked for in the wrong partitions
                throw new ConfigurationException(
                        ns.slice(d.getName()) + " has " + actual + " partitions, its definition " + d.getPartitions()
                                + ": recreate the topic with " + d.getPartitions() + " partitions");
            }
            return of(d.getName(), config.sliceValues(), d.getPartitions(), sources);
        }
    }

    /**
     * The properties of the consumer that reads the definitions: the view's, with {@code fetch.max.wait.ms}
     * {@link MarksLookback#SCAN_WAIT_MS}. A consumer sends its next fetch when a poll reached the end, the
     * broker holds it that long, and every later request on the connection (its {@code partitionsFor}, the
     * fetch-session close of {@code close()}) waits behind it: 500 ms by default, on the thread of {@code start()}.
     */
    static Map<String, Object> readerProperties(ViewConfig config) {
        Map<String, Object> p = new HashMap<>(config.consumerProperties());
        p.put("client.id", "statecast-view-" + config.namespace() + "-slices");
        p.put("fetch.max.wait.ms", MarksLookback.SCAN_WAIT_MS);
        return p;
    }

    static SliceSelection of(String name, Set<String> values, int slicePartitions, int sources) {
        Set<Integer> parts = new TreeSet<>();
        values.forEach(v -> parts.add(SlicePartitioner.partitionOf(v, slicePartitions)));
        if (sources < 1) {
            throw new StatecastException("the state topic has no partitions");
        }
        return new SliceSelection(name, Set.copyOf(values), slicePartitions, sources, Set.copyOf(parts));
    }

    /** Whether an entity with this slice value (null: none) is kept. */
    boolean keeps(String sliceValue) {
        return sliceValue != null && values.contains(sliceValue);
    }

    /** The view's table of (slice partition, source partition). */
    int table(int slicePartition, int source) {
        return slicePartition * sources + source;
    }

    int slicePartitionOf(int table) {
        return table / sources;
    }

    int sourceOf(int table) {
        return table % sources;
    }

    /** Part of the snapshot's file name: which values, so that another selection never loads it. */
    String valuesTag() {
        CRC32C crc = new CRC32C();
        new TreeSet<>(values).forEach(v -> {
            crc.update(v.getBytes(StandardCharsets.UTF_8));
            crc.update(0);
        });
        return values.size() + "v-" + Long.toHexString(crc.getValue());
    }
}
