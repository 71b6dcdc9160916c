package io.statecast.cli;

import static io.statecast.cli.ProduceAndTopicsCommandIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.cli.ProduceAndTopicsCommandIT.Run;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TopicsSliceCommandIT {

    @Test
    void topicsCreateDefinesSlicesThatDescribeListsAndAddSliceAddsOne(KafkaFixture kafka) throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        Run create = run(
                "topics",
                "create",
                "--bootstrap-servers",
                b,
                "--namespace",
                ns,
                "--partitions",
                "3",
                "--slice",
                "by-node=node:8",
                "--slice",
                "by-app=labels.app",
                "--value-type",
                "pod");
        assertEquals(0, create.exit(), create.err());
        assertTrue(create.out().contains(ns + ".slice.by-node"), create.out());
        Run add = run("topics", "add-slice", "--bootstrap-servers", b, "--namespace", ns, "by-phase=phase:2");
        assertEquals(0, add.exit(), add.err()); // checked against the schema registered by create
        Run describe = run("topics", "describe", "--bootstrap-servers", b, "--namespace", ns);
        assertEquals(0, describe.exit(), describe.err());
        String out = describe.out();
        assertTrue(out.matches("(?s).*by-app\\s+labels\\.app\\s+64\\s.*"), out);
        assertTrue(out.matches("(?s).*by-node\\s+node\\s+8\\s.*"), out);
        assertTrue(out.matches("(?s).*by-phase\\s+phase\\s+2\\s.*"), out);
        assertTrue(out.contains("no marks yet"), out); // no materializer running
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            assertTrue(admin.listTopics()
                    .names()
                    .get()
                    .containsAll(java.util.List.of(
                            ns + ".slices",
                            ns + ".slice.by-node",
                            ns + ".slice.by-node.checksums",
                            ns + ".slice.by-phase")));
            assertEquals(
                    8,
                    admin.describeTopics(java.util.List.of(ns + ".slice.by-node"))
                            .allTopicNames()
                            .get()
                            .get(ns + ".slice.by-node")
                            .partitions()
                            .size());
        }
        Run again = run("topics", "add-slice", "--bootstrap-servers", b, "--namespace", ns, "by-node=phase:8");
        assertEquals(2, again.exit()); // configuration
        assertTrue(again.err().contains("is defined with field node and 8 partitions"), again.err());
    }

    @Test
    void aFieldTheValueSchemaDoesNotHaveIsRefusedAndNothingIsCreated(KafkaFixture kafka) throws Exception {
        String ns = kafka.newNamespace();
        String b = kafka.bootstrapServers();
        Run bad = run(
                "topics",
                "create",
                "--bootstrap-servers",
                b,
                "--namespace",
                ns,
                "--slice",
                "by-node=nodeName",
                "--value-type",
                "pod");
        assertEquals(2, bad.exit());
        assertTrue(
                bad.err()
                        .contains("Slice field 'nodeName' does not fit value schema io.statecast.schemas.demo.Pod:"
                                + " record io.statecast.schemas.demo.Pod has no field 'nodeName'"),
                bad.err());
        Run unknown = run("topics", "create", "--bootstrap-servers", b, "--namespace", ns, "--slice", "by-node=node");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("has no value schema registered"), unknown.err());
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            assertFalse(
                    admin.listTopics().names().get().stream().anyMatch(t -> t.startsWith(ns + ".")), "nothing created");
        }
        run("topics", "create", "--bootstrap-servers", b, "--namespace", ns);
        Run addBad = run(
                "topics",
                "add-slice",
                "--bootstrap-servers",
                b,
                "--namespace",
                ns,
                "by-app=labels.app.x",
                "--value-type",
                "pod");
        assertEquals(2, addBad.exit());
        assertTrue(addBad.err().contains("'labels.app' is a string, not a record or a map"), addBad.err());
    }
}
