package io.statecast.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DemoIT {

    @Test
    void theDemoRunsHeadlessAndExitsZeroWhenEveryAgentEqualsTheTable(KafkaFixture kafka) {
        DevCli.Run run = DevCli.run(
                "demo",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--nodes",
                "3",
                "--pods",
                "200",
                "--agents",
                "3",
                "--rate",
                "150",
                "--duration",
                "8",
                "--splay",
                "2");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("OK: all 9 agents' views equal the authoritative table"), run.out());
        assertTrue(run.out().contains("scale-up 2 (splay 2 s)") && run.out().contains("read-your-writes"), run.out());
    }

    @Test
    void theFinalCheckFailsWhenAnAgentsViewIsCorruptedWithSelfHealOff(KafkaFixture kafka) {
        DevCli.Run run = DevCli.run(
                "demo",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--nodes",
                "3",
                "--pods",
                "200",
                "--agents",
                "2",
                "--rate",
                "100",
                "--duration",
                "6",
                "--splay",
                "1",
                "--corrupt-agent",
                "1");
        assertEquals(1, run.exit(), run.out());
        assertTrue(
                run.out().contains("FAILED: these agents' views differ")
                        && run.out().contains("node-1"),
                run.out());
    }
}
