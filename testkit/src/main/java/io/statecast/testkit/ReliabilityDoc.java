package io.statecast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The figures of the {@code -Preliability} suites: each suite prints one line and appends it, dated,
 * to the project's {@code docs/reliability.md} (found from the module directory Maven runs tests in).
 */
public final class ReliabilityDoc {
    private ReliabilityDoc() {}

    /** Prints {@code line} and appends it to docs/reliability.md, creating the file with its header. */
    public static void append(String line) {
        System.out.println(line);
        Path doc = Path.of("..", "docs", "reliability.md");
        try {
            if (!Files.exists(doc)) {
                Files.writeString(
                        doc,
                        "# Reliability figures\n\nWritten by the `-Preliability` suites "
                                + "(`mvn -B verify -Preliability`), one dated line per run.\n\n");
            }
            Files.writeString(doc, "- " + Instant.now() + " — " + line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + doc.toAbsolutePath(), e);
        }
    }
}
