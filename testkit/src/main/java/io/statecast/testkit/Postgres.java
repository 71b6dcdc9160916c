package io.statecast.testkit;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a real PostgreSQL: {@code STATECAST_JDBC_URL} set → that external server (user and password from
 * {@code STATECAST_JDBC_USER} and {@code STATECAST_JDBC_PASSWORD}); else a Docker engine available →
 * Testcontainers' PostgreSQL; else the machine's PostgreSQL binaries ({@code initdb}, {@code pg_ctl}) in a
 * temporary directory on a free port. Set {@code STATECAST_POSTGRES=external|testcontainers|local} to force one.
 */
public final class Postgres {
    /** Environment variable naming an external server's JDBC URL. */
    public static final String JDBC_URL_ENV = "STATECAST_JDBC_URL";
    /** Environment variable forcing a kind of server (or system property {@code statecast.postgres}). */
    public static final String KIND_ENV = "STATECAST_POSTGRES";

    private static final Logger log = LoggerFactory.getLogger(Postgres.class);

    private Postgres() {}

    /** The kinds of server, in the order they are preferred. */
    public enum Kind {
        EXTERNAL,
        TESTCONTAINERS,
        LOCAL
    }

    /** Which kind {@link #start()} would choose here. */
    public static Kind choose() {
        return choose(
                System.getProperty("statecast.postgres", System.getenv(KIND_ENV)),
                System.getenv(JDBC_URL_ENV),
                Kafka::dockerAvailable);
    }

    // A forced kind, else an external URL, else Docker (probed only when needed: probing costs a second), else local.
    static Kind choose(String forced, String jdbcUrl, BooleanSupplier docker) {
        if (forced != null && !forced.isBlank()) {
            return Kind.valueOf(forced.trim().toUpperCase(Locale.ROOT));
        }
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            return Kind.EXTERNAL;
        }
        return docker.getAsBoolean() ? Kind.TESTCONTAINERS : Kind.LOCAL;
    }

    /**
     * Starts (or connects to) the server {@link #choose()} picks.
     *
     * @throws PostgresUnavailableException when none can be found or started, saying why
     */
    public static PostgresServer start() {
        Kind kind = choose();
        log.info("PostgreSQL for tests: {} server", kind.name().toLowerCase(Locale.ROOT));
        switch (kind) {
            case EXTERNAL:
                return new ExternalPostgres(
                        System.getenv(JDBC_URL_ENV),
                        System.getenv().getOrDefault("STATECAST_JDBC_USER", "postgres"),
                        System.getenv().getOrDefault("STATECAST_JDBC_PASSWORD", ""));
            case TESTCONTAINERS:
                return TestcontainersPostgres.start();
            default:
                return local();
        }
    }

    // LocalPostgres knows nothing of the external server: the hint that one can be used instead is added here.
    private static PostgresServer local() {
        try {
            return LocalPostgres.builder().build().start();
        } catch (PostgresUnavailableException e) {
            throw new PostgresUnavailableException(
                    e.getMessage() + "; or point " + JDBC_URL_ENV + " at a server with wal_level=logical", e);
        }
    }
}
