package io.statecast.testkit;

import java.net.URI;

/** A PostgreSQL server someone else runs ({@code STATECAST_JDBC_URL}); it must have {@code wal_level=logical}. */
public final class ExternalPostgres implements PostgresServer {
    private final String url;
    private final String user;
    private final String password;
    private final URI parsed;

    /** A server at this JDBC URL, reached as this user. */
    public ExternalPostgres(String jdbcUrl, String user, String password) {
        this.url = jdbcUrl;
        this.user = user;
        this.password = password;
        this.parsed = URI.create(jdbcUrl.substring("jdbc:".length()));
    }

    @Override
    public String jdbcUrl() {
        return url;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String host() {
        return parsed.getHost();
    }

    @Override
    public int port() {
        return parsed.getPort() < 0 ? 5432 : parsed.getPort();
    }

    @Override
    public String database() {
        return parsed.getPath().replaceFirst("^/", "");
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
