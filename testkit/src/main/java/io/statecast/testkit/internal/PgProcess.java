package io.statecast.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs PostgreSQL's programs. {@code initdb} and {@code postgres} refuse to run as root, and CI runs as root: then
 * every command runs as an unprivileged user ({@code postgres} when the machine has one, else {@code nobody})
 * through {@code runuser}, and the directories it writes are handed to that user.
 */
public final class PgProcess {
    private PgProcess() {}

    /** The user commands run as: the current one, or an unprivileged one when the current is root. */
    public static String runAs() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return System.getProperty("user.name");
        }
        return userExists("postgres") ? "postgres" : "nobody";
    }

    /** Makes {@code path} (a directory created if missing, or a file) owned by {@link #runAs()} when root. */
    public static void handOver(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(runAs()));
        }
    }

    /**
     * Fails when the user commands run as cannot enter {@code dir}: a parent directory made by
     * {@code Files.createTempDirectory} (mode 700, owned by root) hides it, and initdb would fail later with a
     * bare "Permission denied".
     */
    public static void requireReachable(Path dir) throws IOException {
        try {
            run(List.of("test", "-w", dir.toString()), java.time.Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new IOException(
                    "user " + runAs() + " cannot write " + dir + " (a parent directory is not open to"
                            + " it, e.g. mode 700): choose a directory it can reach, such as one under /tmp",
                    e);
        }
    }

    /**
     * Runs {@code command} to its end, within {@code timeout}; returns its combined output.
     *
     * @throws IOException when it cannot start, exits non-zero (the output is in the message) or times out
     */
    public static String run(List<String> command, Duration timeout) throws IOException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", runAs(), "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile("statecast-pg-", ".out");
        try {
            Process p = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .directory(Path.of("/").toFile()) // the unprivileged user may not read the current directory
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish within " + timeout);
            }
            String output = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ":\n" + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + full, e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean userExists(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
        } catch (IOException e) {
            return false;
        }
    }
}
