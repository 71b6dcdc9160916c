package io.statecast.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Run by {@link ExternalPostgresIT} in a JVM of its own: prints which server {@link Postgres#start()} gave. */
public final class ExternalPostgresProbe {
    private ExternalPostgresProbe() {}

    /** Prints {@code probe KIND PORT WAL_LEVEL ROWS_OF_MARKER}, then closes the server handle. */
    public static void main(String[] args) throws Exception {
        try (PostgresServer pg = Postgres.start();
                Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet wal = s.executeQuery("SHOW wal_level")) {
            wal.next();
            String level = wal.getString(1);
            try (ResultSet rows = s.executeQuery("SELECT count(*) FROM marker")) {
                rows.next();
                System.out.println(
                        "probe " + Postgres.choose() + " " + pg.port() + " " + level + " " + rows.getLong(1));
            }
        }
    }
}
