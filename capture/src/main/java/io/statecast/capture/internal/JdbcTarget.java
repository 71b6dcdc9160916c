package io.statecast.capture.internal;

import io.statecast.capture.CaptureException;
import java.net.URI;

/** Host, port and database of a {@code jdbc:postgresql://host[:port]/database[?…]} URL (Debezium wants them apart). */
public record JdbcTarget(String url, String host, int port, String database) {
    /** Parses the URL; fails with a configuration error naming the expected form. */
    public static JdbcTarget parse(String url) {
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            throw CaptureException.config(
                    "--jdbc-url must look like jdbc:postgresql://HOST[:PORT]/DATABASE, was " + url);
        }
        URI u = URI.create(url.substring("jdbc:".length()));
        String db = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
        if (u.getHost() == null || db.isEmpty()) {
            throw CaptureException.config(
                    "--jdbc-url must name a host and a database (jdbc:postgresql://HOST[:PORT]/DATABASE), was " + url);
        }
        return new JdbcTarget(url, u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), db);
    }
}
