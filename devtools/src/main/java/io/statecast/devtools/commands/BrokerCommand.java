package io.statecast.devtools.commands;

import io.statecast.common.StatecastException;
import io.statecast.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code statecast broker}: a single-node Kafka in the foreground until Ctrl-C or SIGTERM. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description =
                "Run an embedded single-node Kafka (KRaft) in the foreground until Ctrl-C/SIGTERM; data is kept for the next start.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to bind and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--data-dir",
            defaultValue = ".statecast/broker",
            description = "Data directory, reused across runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        Path dir = dataDir.toAbsolutePath();
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder()
                .port(port)
                .bindHost(host)
                .advertisedHost(host)
                .dataDir(dir)
                .build();
        AtomicBoolean serving = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stop(kafka, serving, stopped), "statecast-broker-shutdown"));
        try {
            kafka.start();
        } catch (RuntimeException e) {
            kafka.close();
            throw new StatecastException("the broker did not start: " + e.getMessage(), e);
        }
        serving.set(true);
        System.out.println("Kafka broker ready at " + kafka.bootstrapServers() + " (data: " + dir + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    // Runs on Ctrl-C/SIGTERM (and on any JVM exit). Only a stop of a serving broker is a success: a JVM
    // exiting because the start failed keeps its exit code.
    private static void stop(EmbeddedKafkaCluster kafka, AtomicBoolean serving, CountDownLatch stopped) {
        boolean wasServing = serving.getAndSet(false);
        if (wasServing) {
            System.err.println("Stopping the Kafka broker...");
        }
        kafka.close();
        stopped.countDown();
        if (wasServing) {
            // A clean stop on SIGTERM is a success, not the JVM's default 143.
            Runtime.getRuntime().halt(0);
        }
    }
}
