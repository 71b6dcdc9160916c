package io.statecast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory trees the embedded cluster, the bench and the demo leave behind. */
public final class Dirs {
    private Dirs() {}

    /**
     * A new, empty directory named {@code prefix…} under the system property {@code statecast.test.dir}
     * (else {@code java.io.tmpdir}): Surefire's forked JVM does not inherit {@code -Djava.io.tmpdir}.
     */
    public static Path freshTestDir(String prefix) {
        String base = System.getProperty("statecast.test.dir", System.getProperty("java.io.tmpdir"));
        try {
            Path root = Path.of(base);
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory under " + base, e);
        }
    }

    /** Deletes a directory tree, files first; a missing one is fine. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
