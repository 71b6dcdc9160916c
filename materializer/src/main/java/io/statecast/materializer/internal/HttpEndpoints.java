package io.statecast.materializer.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statecast.materializer.HttpReply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The JDK's HTTP server: {@code /} (the namespace's status page), {@code /health}, {@code /ready},
 * {@code /metrics}, {@code GET /state/{key}}, {@code POST /checksums}. Small, no dependency.
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    public HttpEndpoints(
            String host,
            int port,
            Supplier<Boolean> healthy,
            Supplier<Boolean> ready,
            PrometheusMeterRegistry metrics,
            Function<String, HttpReply> state,
            Runnable checksums)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "statecast-materializer-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", ex -> reply(ex, healthy.get() ? text(200, "ok") : text(503, "failed")));
        server.createContext("/ready", ex -> reply(ex, ready.get() ? text(200, "ready") : text(503, "not ready")));
        server.createContext(
                "/metrics", ex -> reply(ex, new HttpReply(200, "text/plain; version=0.0.4", metrics.scrape())));
        server.createContext(
                "/state/",
                ex -> reply(
                        ex,
                        "GET".equals(ex.getRequestMethod())
                                ? state.apply(URLDecoder.decode(
                                        ex.getRequestURI().getRawPath().substring("/state/".length()),
                                        StandardCharsets.UTF_8))
                                : text(405, "GET only")));
        server.createContext("/checksums", ex -> {
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, text(405, "POST only"));
                return;
            }
            checksums.run();
            reply(ex, text(202, "checksums requested"));
        });
        server.start();
    }

    /** Serves {@code page} at {@code /} as HTML; any other unknown path is a 404. */
    public void statusPage(Supplier<HttpReply> page) {
        server.createContext(
                "/", ex -> reply(ex, "/".equals(ex.getRequestURI().getPath()) ? page.get() : text(404, "not found")));
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    static HttpReply text(int status, String body) {
        return new HttpReply(status, "text/plain; charset=utf-8", body + "\n");
    }

    private static void reply(HttpExchange ex, HttpReply r) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.sendResponseHeaders(r.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
