package io.statecast.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every public package of every module says what it is for in a package-info.java with a Javadoc comment. */
class PackageInfoTest {
    // the test runs in devtools/; the modules are its siblings
    private static final Path ROOT = Path.of("..");

    @Test
    void everyPublicPackageHasAPackageInfoWithJavadoc() throws IOException {
        Set<String> missing = new TreeSet<>();
        List<Path> sources = mainSourceRoots();
        assertTrue(sources.size() >= 10, "found the modules' sources: " + sources);
        for (Path root : sources) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .map(Path::getParent)
                        .distinct()
                        .filter(dir -> !root.relativize(dir).toString().contains("internal"))
                        .filter(dir -> !documented(dir.resolve("package-info.java")))
                        .forEach(dir -> missing.add(ROOT.relativize(dir).toString()));
            }
        }
        assertEquals(Set.of(), missing, "public packages without a package-info.java saying what they are for");
    }

    private static List<Path> mainSourceRoots() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        }
    }

    private static boolean documented(Path packageInfo) {
        try {
            return Files.exists(packageInfo) && Files.readString(packageInfo).contains("/**");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
