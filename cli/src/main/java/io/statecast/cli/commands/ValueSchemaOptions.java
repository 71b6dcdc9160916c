package io.statecast.cli.commands;

import io.statecast.common.ConfigurationException;
import io.statecast.common.Namespace;
import io.statecast.schemas.SchemaTopic;
import io.statecast.schemas.ValueSchemas;
import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The value schema that {@code --value-schema FILE.avsc} or {@code --value-type pod|node} names, or, when
 * neither is given, the namespace's own: readers then decode each value with its writer schema, writers
 * take the latest value schema registered in {@code <ns>.schemas}.
 */
final class ValueSchemaOptions {
    private ValueSchemaOptions() {}

    /**
     * The schema the flags name, or null when neither is given.
     *
     * @throws ConfigurationException when both are given, the file is not a readable Avro schema, or the type is
     *     unknown
     */
    static Schema explicit(Path valueSchema, String valueType) {
        if (valueSchema != null && valueType != null) {
            throw new ConfigurationException("Give --value-schema or --value-type, not both");
        }
        if (valueSchema != null) {
            return parse(valueSchema);
        }
        if (valueType == null) {
            return null;
        }
        switch (valueType) {
            case "pod":
                return Pod.getClassSchema();
            case "node":
                return Node.getClassSchema();
            default:
                throw new ConfigurationException("--value-type must be pod or node, was " + valueType);
        }
    }

    /** The schema the flags name, else the latest value schema registered in the namespace. */
    static Schema forWriting(Path valueSchema, String valueType, Map<String, Object> kafka, String namespace) {
        Schema s = explicit(valueSchema, valueType);
        if (s != null) {
            return s;
        }
        try (SchemaTopic topic = SchemaTopic.open(kafka, Namespace.of(namespace))) {
            return ValueSchemas.of(topic).latest();
        }
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read --value-schema " + file + ": " + e.getMessage(), e);
        } catch (SchemaParseException e) {
            throw new ConfigurationException(
                    "--value-schema " + file + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }
}
