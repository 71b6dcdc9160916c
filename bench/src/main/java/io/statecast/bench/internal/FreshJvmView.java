package io.statecast.bench.internal;

import io.statecast.consumer.StateView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * A view started in a JVM of its own, as a restarted service starts one: its code not yet compiled, its
 * heap empty. {@link #run} starts {@code java … FreshJvmView servers topic dir} with the bench JVM's heap
 * and -XX: flags and returns what it measured from building the view to ready (JVM start-up not included); what
 * the child printed is appended to {@code <dir>.log}.
 */
public final class FreshJvmView {
    /** What the child measured: seconds from building the view to ready, and how it started. */
    record Start(double seconds, String startMode) {}

    private FreshJvmView() {}

    /** Runs a view over {@code topic} with its snapshots in {@code dir} in a new JVM until it is ready. */
    static Start run(String servers, String topic, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg :
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xm") || arg.startsWith("-XX:")) {
                cmd.add(arg); // the same heap and JVM options as this JVM's views
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FreshJvmView.class.getName()));
        cmd.addAll(List.of(servers, topic, dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolveSibling(dir.getFileName() + ".log"),
                out,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the fresh JVM's view failed:\n" + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("fresh-jvm-ready ")) {
                String[] f = line.split(" ", 3);
                return new Start(Double.parseDouble(f[1]), f[2].strip());
            }
        }
        throw new IllegalStateException("the fresh JVM's view printed no time:\n" + out);
    }

    public static void main(String[] args) throws Exception {
        // A service has its schema and its logging set up before it builds a view: not timed here either.
        org.apache.avro.Schema schema = Data.BLOB;
        org.slf4j.LoggerFactory.getLogger(FreshJvmView.class).debug("schema {}", schema.getName());
        long t0 = System.nanoTime();
        StateView<GenericRecord> v = StateView.builder(schema)
                .topic(args[1])
                .kafka(Map.of("bootstrap.servers", args[0]))
                .snapshots(Path.of(args[2]), Duration.ofHours(1))
                .build();
        v.start().awaitReady(Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String mode = v.stats().startMode();
        v.close(); // writes its snapshot, as a service's shutdown does
        System.out.println("fresh-jvm-ready " + seconds + " " + mode);
    }
}
