package io.statecast.testkit.internal;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One Kafka node (a broker or a controller) in a JVM of its own, started with {@link ProcessBuilder} on
 * this JVM's class path: Kafka's own {@code kafka.Kafka} on {@code <dir>/server.properties}, its log
 * directory formatted once ({@code kafka-storage format}), its output appended to {@code
 * <dir>/process.log}. It can be SIGKILLed and started again on the same log directory and ports.
 */
public final class KafkaProcess {
    // The node's own logging (when logback is on the class path): WARN, plus how logs were loaded and
    // recovered after a crash; an unconfigured logback would log everything at DEBUG.
    private static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="kafka.log.LogManager" level="INFO"/>
              <logger name="org.apache.kafka.storage.internals.log.LogLoader" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private final int id;
    private final Path dir;
    private final Properties config;
    private final String heap;
    private Process process;

    /** A node that is not started yet; {@code config} is its whole server.properties. */
    public KafkaProcess(int id, Path dir, Properties config, String heap) {
        this.id = id;
        this.dir = dir;
        this.config = config;
        this.heap = heap;
    }

    public int id() {
        return id;
    }

    /** The node's directory: server.properties, process.log and the log directory {@code data}. */
    public Path dir() {
        return dir;
    }

    /** The log directory (Kafka's {@code log.dirs}). */
    public static Path dataDir(Path nodeDir) {
        return nodeDir.resolve("data");
    }

    /** Formats the log directory if it is new, writes server.properties and starts the JVM; does not wait. */
    public synchronized void start(String clusterId) {
        if (isRunning()) {
            return;
        }
        Storage.formatIfNew(id, dataDir(dir), clusterId, null);
        try {
            Path props = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(props)) {
                config.store(out, "node " + id + ", written by statecast-testkit");
            }
            Files.writeString(dir.resolve("logback.xml"), LOGBACK, StandardCharsets.UTF_8);
            Path log = dir.resolve("process.log");
            Files.writeString(log, "---- start of node " + id + "\n", StandardCharsets.UTF_8, CREATE, APPEND);
            process = new ProcessBuilder(command(props))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka node " + id + " in " + dir, e);
        }
    }

    private List<String> command(Path props) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // Less CPU for a node's start on a small, shared machine: the client compiler only, one GC thread.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.add("-Dlogback.configurationFile=" + dir.resolve("logback.xml"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KafkaProcessMain.class.getName());
        cmd.add(props.toString());
        return cmd;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Whether the node was started and its JVM has exited since (crashed, killed or stopped). */
    public synchronized boolean hasExited() {
        return process != null && !process.isAlive();
    }

    /** The operating system's id of the node's JVM. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Kafka node " + id + " was never started");
        }
        return process.pid();
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux): waits for the JVM to die and returns its exit code. */
    public synchronized int kill() {
        if (!isRunning()) {
            throw new IllegalStateException("Kafka node " + id + " is not running");
        }
        process.destroyForcibly();
        return waitForExit(30);
    }

    /** SIGTERM (Kafka's graceful shutdown), then SIGKILL after {@code seconds}; returns the exit code. */
    public synchronized int stop(long seconds) {
        if (!isRunning()) {
            return process == null ? 0 : process.exitValue();
        }
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return waitForExit(30);
    }

    private int waitForExit(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Kafka node " + id + " (pid " + process.pid() + ") did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for Kafka node " + id + " to exit", e);
        }
        return process.exitValue();
    }

    /** The last {@code lines} lines of the node's process.log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(dir.resolve("process.log"), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no process.log: " + e.getMessage() + ")";
        }
    }
}
