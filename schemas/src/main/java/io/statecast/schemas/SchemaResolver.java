package io.statecast.schemas;

import io.statecast.common.SchemaNotFoundException;
import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.internal.ReleasedSchemas;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Finds a writer schema by its 64-bit fingerprint (CRC-64-AVRO of the parsing canonical form): first
 * among the schemas compiled in (every envelope record and every released version of it), then in
 * the namespace's schemas topic when one is attached. Thread-safe.
 */
public final class SchemaResolver {
    static {
        // Avro 1.12 refuses to instantiate (even to copy) specific classes of untrusted packages: trust ours.
        AvroCodec.trust(ChangeEvent.class.getPackageName());
        AvroCodec.trust(Pod.class.getPackageName());
    }

    private static final SchemaResolver BUILT_IN = new SchemaResolver(null);

    private final Map<Long, Schema> known = new ConcurrentHashMap<>();
    private final SchemaTopic topic;

    private SchemaResolver(SchemaTopic topic) {
        this.topic = topic;
        for (Schema s : new Schema[] {
            ChangeEvent.getClassSchema(),
            StateRecord.getClassSchema(),
            Checksum.getClassSchema(),
            Progress.getClassSchema(),
            Rejection.getClassSchema(),
            SliceDefinition.getClassSchema(),
            SliceChecksum.getClassSchema(),
            SliceProgress.getClassSchema(),
            Pod.getClassSchema(),
            Node.getClassSchema()
        }) {
            addKnown(s);
        }
        ReleasedSchemas.all().forEach(this::addKnown);
    }

    /** The compiled-in schemas only (envelopes, demo payloads and their released versions). */
    public static SchemaResolver builtIn() {
        return BUILT_IN;
    }

    /** The compiled-in schemas, then the given schemas topic. */
    public static SchemaResolver withTopic(SchemaTopic topic) {
        return new SchemaResolver(topic);
    }

    /** Makes a schema known without the topic (a reader's own schema, for instance). Returns its fingerprint. */
    public long addKnown(Schema schema) {
        long fp = fingerprint(schema);
        known.putIfAbsent(fp, schema);
        return fp;
    }

    /** The writer schema of this fingerprint. */
    public Schema resolve(long fingerprint) {
        Schema s = known.get(fingerprint);
        if (s != null) {
            return s;
        }
        if (topic != null) {
            Optional<Schema> found = topic.lookup(fingerprint);
            if (found.isPresent()) {
                known.put(fingerprint, found.get());
                return found.get();
            }
        }
        throw new SchemaNotFoundException(
                fingerprint, topic == null ? "no schemas topic (built-in schemas only)" : topic.name());
    }

    /** CRC-64-AVRO fingerprint of the schema's parsing canonical form (what single-object encoding carries). */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
