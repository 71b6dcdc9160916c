package io.statecast.testkit;

import java.util.concurrent.atomic.AtomicBoolean;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL in a container through Testcontainers, with {@code wal_level=logical}. Chosen when a Docker engine
 * is available; not exercised on machines without one.
 */
public final class TestcontainersPostgres implements PostgresServer {
    /** The image: the major version of the Debian package the local path uses. */
    public static final String IMAGE = "postgres:15";

    private final PostgreSQLContainer container;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestcontainersPostgres(PostgreSQLContainer container) {
        this.container = container;
    }

    /** Starts a container with logical decoding on. */
    public static TestcontainersPostgres start() {
        PostgreSQLContainer c = new PostgreSQLContainer(IMAGE)
                .withDatabaseName(LocalPostgres.DATABASE)
                .withUsername(LocalPostgres.USER)
                .withPassword(LocalPostgres.PASSWORD)
                .withCommand(
                        "postgres",
                        "-c",
                        "wal_level=logical",
                        "-c",
                        "max_replication_slots=64", // as the local server: every capture test leaves its slot
                        "-c",
                        "max_wal_senders=64");
        c.start();
        return new TestcontainersPostgres(c);
    }

    @Override
    public String jdbcUrl() {
        return container.getJdbcUrl();
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(5432);
    }

    @Override
    public String database() {
        return container.getDatabaseName();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            container.stop();
        }
    }
}
