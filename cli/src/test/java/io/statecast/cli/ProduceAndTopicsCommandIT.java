package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@StatecastKafkaTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProduceAndTopicsCommandIT {
    static final String GOOD_NODE =
            "{\"name\":\"n%d\",\"zone\":\"z1\",\"cpuMillis\":4000,\"memoryBytes\":17179869184,\"joinedAt\":1700000000000}";

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = StatecastCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void topicsCreateIsIdempotentAndRefusesAMismatch(KafkaFixture kafka) {
        String ns = kafka.newNamespace();
        Run first = run(
                "topics",
                "create",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--namespace",
                ns,
                "--partitions",
                "3");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("Created"), first.out());
        Run second = run(
                "topics",
                "create",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--namespace",
                ns,
                "--partitions",
                "3");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("exist and match"), second.out());
        Run mismatch = run(
                "topics",
                "create",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--namespace",
                ns,
                "--partitions",
                "5");
        assertEquals(2, mismatch.exit(), "a mismatch with existing topics is a configuration error");
        assertTrue(mismatch.err().contains("3 partitions, expected 5"), mismatch.err());
        Run describe = run("topics", "describe", "--bootstrap-servers", kafka.bootstrapServers(), "--namespace", ns);
        assertTrue(describe.out().contains(ns + ".state") && describe.out().contains("compact"), describe.out());
    }

    @Test
    void produceSendsNothingWhenALineIsBadUnlessToldToContinue(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        String ns = kafka.newNamespace();
        assertEquals(
                0,
                run(
                                "topics",
                                "create",
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--namespace",
                                ns,
                                "--partitions",
                                "2")
                        .exit());
        Path input = dir.resolve("changes.ndjson");
        Files.write(
                input,
                List.of(
                        "{\"op\":\"UPSERT\",\"key\":\"n1\",\"value\":" + String.format(GOOD_NODE, 1) + "}",
                        "{\"op\":\"UPSERT\",\"key\":\"n2\",\"value\":{\"name\":\"n2\"}}",
                        "{\"op\":\"DELETE\",\"key\":\"n1\",\"expectedVersion\":1}",
                        "not json",
                        "{\"op\":\"UPSERT\",\"key\":\"n3\",\"value\":" + String.format(GOOD_NODE, 3)
                                + ",\"expectedVersion\":0}"),
                StandardCharsets.UTF_8);

        Run strict = run(
                "produce",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--namespace",
                ns,
                "--file",
                input.toString(),
                "--value-type",
                "node");
        assertEquals(1, strict.exit());
        assertTrue(strict.err().contains("line 2: value.zone: missing"), strict.err());
        assertTrue(strict.err().contains("line 4: invalid JSON"), strict.err());
        assertTrue(strict.err().contains("nothing was sent"), strict.err());
        assertEquals(0, kafka.readToEnd(ns + ".changes").size());

        Path errors = dir.resolve("bad.ndjson");
        Run lenient = run(
                "produce",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--namespace",
                ns,
                "--file",
                input.toString(),
                "--value-type",
                "node",
                "--continue-on-error",
                "--errors-file",
                errors.toString());
        assertEquals(1, lenient.exit(), "bad lines still fail the run");
        assertTrue(lenient.out().contains("sent 3, rejected 2, failed 0"), lenient.out());
        assertEquals(3, kafka.readToEnd(ns + ".changes").size());
        List<String> bad = Files.readAllLines(errors);
        assertEquals(2, bad.size());
        assertTrue(bad.get(0).contains("\"line\":2") && bad.get(1).contains("\"line\":4"), bad.toString());
    }
}
