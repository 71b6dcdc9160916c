package io.statecast.schemas;

import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The value schemas of a namespace: the schemas its writers registered in {@code <ns>.schemas} (the
 * envelope records excluded), oldest first. Tools that are given no schema use them: a reader decodes
 * each value with its own writer schema ({@link AvroCodec#asWritten}), and a writer takes the
 * {@link #latest} one, so that a namespace whose values use two versions of a schema reads both and
 * writes the newer.
 *
 * <pre>{@code
 * try (SchemaTopic topic = SchemaTopic.open(kafka, Namespace.of("k8s"))) {
 *     Schema current = ValueSchemas.of(topic).latest();
 * }
 * }</pre>
 */
public final class ValueSchemas {
    private static final Set<String> ENVELOPES = Set.of(
            ChangeEvent.getClassSchema().getFullName(),
            StateRecord.getClassSchema().getFullName(),
            Checksum.getClassSchema().getFullName(),
            Progress.getClassSchema().getFullName(),
            Rejection.getClassSchema().getFullName());

    private final SchemaTopic topic;

    private ValueSchemas(SchemaTopic topic) {
        this.topic = topic;
    }

    /** The value schemas registered in {@code topic}. */
    public static ValueSchemas of(SchemaTopic topic) {
        return new ValueSchemas(topic);
    }

    /** Every registered value schema, in registration order (reads the topic to its end). */
    public List<Schema> all() {
        return topic.registered().stream()
                .filter(s -> s.getType() == Schema.Type.RECORD && !ENVELOPES.contains(s.getFullName()))
                .toList();
    }

    /**
     * The value schema registered last: the current version of the namespace's record.
     *
     * @throws NoValueSchemaException when none is registered, or schemas of several records are (the
     *     namespace's record is then ambiguous)
     */
    public Schema latest() {
        List<Schema> all = all();
        List<String> records =
                all.stream().map(Schema::getFullName).distinct().sorted().toList();
        if (records.size() != 1) {
            throw new NoValueSchemaException(topic.name(), records);
        }
        return all.get(all.size() - 1);
    }

    /** Whether any registered value schema has a top-level field of this name. */
    public boolean anyHasField(String field) {
        return all().stream().anyMatch(s -> s.getField(field) != null);
    }
}
