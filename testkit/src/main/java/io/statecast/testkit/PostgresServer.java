package io.statecast.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A real PostgreSQL for tests, the demo and the bench, with {@code wal_level=logical} so that change-data
 * capture can create replication slots. Get one from {@link Postgres#start()}.
 */
public interface PostgresServer extends AutoCloseable {
    /** The JDBC URL of the test database, e.g. {@code jdbc:postgresql://127.0.0.1:5433/statecast}. */
    String jdbcUrl();

    /** A user allowed to log in, create tables and replicate. */
    String user();

    /** That user's password. */
    String password();

    /** Host name or address of the server. */
    String host();

    /** TCP port of the server. */
    int port();

    /** Name of the test database. */
    String database();

    /** A new JDBC connection as {@link #user()}; the caller closes it. */
    default Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user());
        p.setProperty("password", password());
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /** Stops the server (an external one is left running). Idempotent. */
    @Override
    void close();
}
