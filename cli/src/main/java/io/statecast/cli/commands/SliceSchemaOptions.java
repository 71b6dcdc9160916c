package io.statecast.cli.commands;

import java.nio.file.Path;
import org.apache.avro.Schema;
import picocli.CommandLine.Option;

/** {@code --value-schema FILE.avsc | --value-type pod|node} for commands that check slice fields (a picocli mixin). */
public final class SliceSchemaOptions {
    @Option(
            names = "--value-schema",
            description =
                    "Avro schema (.avsc) of the values, to check slice fields against (registered in <ns>.schemas);"
                            + " default: the newest value schema registered there.")
    Path valueSchema;

    @Option(names = "--value-type", description = "A demo value type instead of --value-schema: pod or node.")
    String valueType;

    /** The schema given, or null when neither option was. */
    Schema schemaOrNull() {
        return ValueSchemaOptions.explicit(valueSchema, valueType);
    }
}
