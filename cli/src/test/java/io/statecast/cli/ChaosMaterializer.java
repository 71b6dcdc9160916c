package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.testkit.Conditions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/** The chaos suite's materializer, in its own JVM: SIGKILLed and restarted by the test. */
final class ChaosMaterializer {
    private final String bootstrap;
    private final Namespace ns;
    private final Path log;
    private final int httpPort;
    private Process process;

    ChaosMaterializer(String bootstrap, Namespace ns, Path dir) throws IOException {
        this.bootstrap = bootstrap;
        this.ns = ns;
        this.log = dir.resolve("materializer.log");
        try (ServerSocket s = new ServerSocket(0)) {
            this.httpPort = s.getLocalPort();
        }
    }

    void start(Path stateDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.statecast.materializer.Main",
                        "--bootstrap-servers",
                        bootstrap,
                        "--namespace",
                        ns.name(),
                        "--http-port",
                        Integer.toString(httpPort),
                        "state.dir=" + stateDir,
                        "checksum.interval.ms=1000",
                        "replication.factor=3",
                        "session.timeout.ms=6000",
                        "num.stream.threads=1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGKILL: no shutdown hook, no graceful close, an open transaction left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void destroy() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * The transactional id of the running materializer (exactly-once v2: one per stream thread, {@code
     * <application.id>-<process id>-<thread>}): of this application's transactional ids, the one with the
     * newest producer id, since an instance restarted on an empty state directory gets a new id and a new
     * producer id while its killed predecessor's stays listed.
     */
    String transactionalId(Admin admin) {
        String prefix = "statecast-materializer-" + ns.name() + "-";
        return Conditions.waitFor(
                        "a transactional id of the materializer (" + prefix + "*) among those listed",
                        Duration.ofMinutes(3),
                        () -> admin.listTransactions().all().get(10, TimeUnit.SECONDS),
                        all -> all.stream().anyMatch(t -> t.transactionalId().startsWith(prefix)))
                .stream()
                .filter(t -> t.transactionalId().startsWith(prefix))
                .max(Comparator.comparingLong(TransactionListing::producerId))
                .orElseThrow()
                .transactionalId();
    }

    /** Waits until {@code transactionalId}'s transaction is open, so that a fault lands mid-transaction. */
    void awaitOpenTransaction(Admin admin, String transactionalId) {
        Conditions.waitFor(
                "the transaction of " + transactionalId + " to be ONGOING",
                Duration.ofMinutes(3),
                () -> admin.describeTransactions(List.of(transactionalId))
                        .description(transactionalId)
                        .get(10, TimeUnit.SECONDS)
                        .state(),
                TransactionState.ONGOING::equals);
    }

    void awaitReady() {
        Conditions.waitFor("the materializer to be ready (log: " + log + ")", Duration.ofMinutes(2), () -> {
            assertTrue(process.isAlive(), "the materializer process died; log: " + tail());
            return http("GET") == 200;
        });
    }

    void requestChecksums() {
        assertEquals(202, http("POST"), "POST /checksums");
    }

    private int http(String method) {
        try {
            String path = method.equals("GET") ? "/ready" : "/checksums";
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(5))
                    .build();
            return HttpClient.newHttpClient()
                    .send(req, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
