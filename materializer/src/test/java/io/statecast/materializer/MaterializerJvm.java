package io.statecast.materializer;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The materializer's runnable main in a JVM of its own, so that a test can SIGKILL it. */
final class MaterializerJvm implements AutoCloseable {
    private final String bootstrap;
    private final Namespace ns;
    private final Path log;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    MaterializerJvm(String bootstrap, Namespace ns, Path dir) throws IOException {
        this.bootstrap = bootstrap;
        this.ns = ns;
        this.log = dir.resolve("materializer.log");
        try (ServerSocket s = new ServerSocket(0)) {
            this.httpPort = s.getLocalPort();
        }
    }

    /** Starts it on {@code stateDir} and waits until {@code /ready} answers 200. */
    void start(Path stateDir) throws IOException {
        process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--bootstrap-servers",
                        bootstrap,
                        "--namespace",
                        ns.name(),
                        "--http-port",
                        Integer.toString(httpPort),
                        "state.dir=" + stateDir,
                        "checksum.interval.ms=1000",
                        // a SIGKILLed member leaves the group after this, not the default 45 s
                        "session.timeout.ms=6000",
                        "num.stream.threads=1"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Conditions.waitFor("the materializer's /ready to answer 200 (log: " + log + ")", Duration.ofMinutes(2), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the materializer died: " + tail());
            }
            return status("GET", "/ready") == 200;
        });
    }

    /** SIGKILL: no shutdown hook, the open transaction left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** POST /checksums: every task emits its checksums now. */
    void requestChecksums() {
        status("POST", "/checksums");
    }

    private int status(String method, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(5))
                    .build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
