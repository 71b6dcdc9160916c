package io.statecast.schemas.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of every record, kept in {@code io/statecast/schemas/released/} and listed
 * in its {@code index.txt} (one {@code Record/vN.avsc} per line), so that readers know old writers'
 * fingerprints without a schemas topic and the evolution test can check each against the current one.
 */
public final class ReleasedSchemas {
    private static final String ROOT = "/io/statecast/schemas/released/";

    private ReleasedSchemas() {}

    /** A released schema with where it came from. */
    public record Released(String record, String version, Schema schema) {}

    public static List<Released> list() {
        List<Released> out = new ArrayList<>();
        for (String line : read(ROOT + "index.txt").split("\n")) {
            String path = line.trim();
            if (path.isEmpty() || path.startsWith("#")) {
                continue;
            }
            int slash = path.indexOf('/');
            out.add(new Released(
                    path.substring(0, slash),
                    path.substring(slash + 1).replace(".avsc", ""),
                    new Schema.Parser().parse(read(ROOT + path))));
        }
        return out;
    }

    public static List<Schema> all() {
        List<Schema> out = new ArrayList<>();
        list().forEach(r -> out.add(r.schema()));
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
