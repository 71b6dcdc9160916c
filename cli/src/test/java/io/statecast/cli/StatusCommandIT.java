package io.statecast.cli;

import static io.statecast.cli.ProduceAndTopicsCommandIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.cli.ProduceAndTopicsCommandIT.Run;
import io.statecast.materializer.Materializer;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code statecast status} against a namespace that a running materializer keeps. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusCommandIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsTheNamespaceAsTextAndJson(KafkaFixture kafka, @TempDir Path dir) throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        assertEquals(
                0,
                run("topics", "create", "--bootstrap-servers", b, "--namespace", ns, "--partitions", "2")
                        .exit());
        Path in = Files.writeString(
                dir.resolve("in.ndjson"),
                "{\"op\":\"UPSERT\",\"key\":\"n1\",\"value\":" + String.format(ProduceAndTopicsCommandIT.GOOD_NODE, 1)
                        + "}\n{\"op\":\"DELETE\",\"key\":\"never\"}\n");
        assertEquals(
                0,
                run(
                                "produce",
                                "--bootstrap-servers",
                                b,
                                "--namespace",
                                ns,
                                "--file",
                                in.toString(),
                                "--value-type",
                                "node")
                        .exit());
        try (Materializer m = NamespaceSchemasIT.materializer(kafka, ns, dir)) {
            JsonNode s = Conditions.waitFor(
                    "one entry checksummed, one rejection, no lag",
                    Duration.ofSeconds(60),
                    () -> {
                        m.requestChecksums();
                        Run r = run("status", "--bootstrap-servers", b, "--namespace", ns, "--json");
                        return r.exit() == 0 ? JSON.readTree(r.out()) : null;
                    },
                    j -> j != null
                            && j.get("state").get("entries").asLong() == 1
                            && j.get("rejectionsLastHour")
                                            .path("DELETE_OF_ABSENT_KEY")
                                            .asLong()
                                    == 1
                            && j.get("partitions").findValues("lag").stream().allMatch(l -> l.asLong() == 0));
            assertEquals(6, s.get("topics").size());
            assertEquals(
                    "statecast-materializer-" + ns,
                    s.get("materializers").get("groupId").asText());
            assertEquals(1, s.get("materializers").get("instances").size(), s.toString());
            assertTrue(s.get("state").get("bytes").asLong() > 0, s.toString());
            Run text = run("status", "--bootstrap-servers", b, "--namespace", ns);
            assertEquals(0, text.exit(), text.err());
            assertTrue(text.out().contains("rejections in the last hour: DELETE_OF_ABSENT_KEY 1"), text.out());
            assertTrue(text.out().contains("state: 1 entries"), text.out());
            assertTrue(text.out().contains("slices: none"), text.out());
        }
    }
}
