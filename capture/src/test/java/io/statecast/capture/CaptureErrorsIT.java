package io.statecast.capture;

import static io.statecast.capture.CaptureFixture.sql;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.LocalPostgres;
import io.statecast.testkit.PostgresServer;
import io.statecast.testkit.StatecastKafkaTest;
import io.statecast.testkit.StatecastPostgresTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the user must fix is one clear error, before anything runs. */
@StatecastKafkaTest
@StatecastPostgresTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CaptureErrorsIT {

    @Test
    void aWrongPasswordNamesTheUserAndThePasswordFile(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 1);
        CaptureException e = failure(CaptureFixture.capture(pg, kafka, "public.pods", ns)
                .password("not-the-password")
                .key("id"));
        assertTrue(e.getMessage().contains("password authentication failed for user " + pg.user()), e.getMessage());
        assertTrue(e.getMessage().contains("--password-file"), e.getMessage());
    }

    @Test
    void aMissingTableOrKeyColumnIsNamed(KafkaFixture kafka, PostgresServer pg) {
        Namespace ns = CaptureFixture.provision(kafka, 1);
        CaptureException e = failure(
                CaptureFixture.capture(pg, kafka, "public.no_such_table", ns).key("id"));
        assertTrue(e.getMessage().contains("table public.no_such_table does not exist"), e.getMessage());
        String table = "t_" + ns.name().replace('-', '_');
        sql(pg, "CREATE TABLE " + table + " (id int PRIMARY KEY, other int)");
        e = failure(CaptureFixture.capture(pg, kafka, "public." + table, ns).key("nope"));
        assertTrue(e.getMessage().contains("--key nope: public." + table + " has no such column"), e.getMessage());
        e = failure(CaptureFixture.capture(pg, kafka, "public." + table, ns).key("other"));
        assertTrue(e.getMessage().contains("SET NOT NULL"), e.getMessage());
        sql(pg, "ALTER TABLE " + table + " ALTER COLUMN other SET NOT NULL");
        e = failure(CaptureFixture.capture(pg, kafka, "public." + table, ns).key("other"));
        assertTrue(e.getMessage().contains("REPLICA IDENTITY FULL"), e.getMessage());
    }

    @Test
    void walLevelReplicaSaysHowToTurnOnLogicalDecoding(KafkaFixture kafka) {
        Assumptions.assumeTrue(LocalPostgres.findBinaries().isPresent() || System.getenv("CI") != null);
        Namespace ns = CaptureFixture.provision(kafka, 1);
        try (LocalPostgres replica =
                LocalPostgres.builder().walLevel("replica").build().start()) {
            sql(replica, "CREATE TABLE pods (id int PRIMARY KEY)");
            CaptureException e = failure(
                    CaptureFixture.capture(replica, kafka, "public.pods", ns).key("id"));
            assertTrue(e.getMessage().contains("wal_level is replica"), e.getMessage());
            assertTrue(e.getMessage().contains("ALTER SYSTEM SET wal_level = logical"), e.getMessage());
        }
    }

    private static CaptureException failure(PostgresCapture.Builder b) {
        CaptureException e =
                assertThrows(CaptureException.class, () -> b.build().start());
        assertTrue(e.misconfigured(), "a setting to fix: " + e.getMessage());
        return e;
    }
}
