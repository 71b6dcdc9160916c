package io.statecast.materializer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.SlicePartitioner;
import io.statecast.schemas.SliceDefinition;
import io.statecast.schemas.SliceValueReader;

/**
 * A slice the materializer projects: its definition, its two topics and the reader of its field.
 *
 * @param name the slice name
 * @param partitions partitions of the slice topic and of its checksums topic
 * @param topic {@code <ns>.slice.<name>}
 * @param checksumsTopic {@code <ns>.slice.<name>.checksums}
 * @param reader reads the slice value of a state record
 */
public record ActiveSlice(String name, int partitions, String topic, String checksumsTopic, SliceValueReader reader) {

    static ActiveSlice of(Namespace ns, SliceDefinition d, SliceValueReader reader) {
        return new ActiveSlice(
                d.getName(), d.getPartitions(), ns.slice(d.getName()), ns.sliceChecksums(d.getName()), reader);
    }

    /** The slice partition of a value. */
    int partitionOf(String value) {
        return SlicePartitioner.partitionOf(value, partitions);
    }
}
