package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which PostgreSQL the testkit picks: forced kind, then STATECAST_JDBC_URL, then Docker, then local binaries. */
class PostgresSelectionTest {

    @Test
    void anExternalUrlWinsOverDockerAndDockerOverLocalBinaries() {
        assertEquals(Postgres.Kind.EXTERNAL, Postgres.choose(null, "jdbc:postgresql://db:5432/app", () -> true));
        assertEquals(Postgres.Kind.TESTCONTAINERS, Postgres.choose(null, null, () -> true));
        assertEquals(Postgres.Kind.LOCAL, Postgres.choose(null, " ", () -> false));
    }

    @Test
    void aForcedKindWinsAndDockerIsNotProbedWhenNotNeeded() {
        AtomicBoolean probed = new AtomicBoolean();
        assertEquals(Postgres.Kind.LOCAL, Postgres.choose(" local ", "jdbc:postgresql://db/app", () -> {
            probed.set(true);
            return true;
        }));
        assertEquals(Postgres.Kind.TESTCONTAINERS, Postgres.choose("Testcontainers", null, () -> false));
        assertEquals(Postgres.Kind.EXTERNAL, Postgres.choose(null, "jdbc:postgresql://db/app", () -> {
            probed.set(true);
            return true;
        }));
        assertEquals(false, probed.get(), "Docker probed although the choice was made");
    }
}
