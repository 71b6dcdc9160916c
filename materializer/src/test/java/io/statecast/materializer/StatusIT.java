package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.HeadlessChromium;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The namespace's status, read from a real cluster with a running materializer, and its HTML page in chromium. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusIT {

    static Node node(String name) {
        return Node.newBuilder()
                .setName(name)
                .setZone("z")
                .setCpuMillis(1000)
                .setMemoryBytes(1L << 30)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    /** Three nodes written, one compare-and-set refused: 3 entries, 1 VERSION_CONFLICT, lag 0, checksums. */
    static NamespaceStatus settled(KafkaFixture kafka, Namespace ns, Materializer m) throws Exception {
        try (StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build()) {
            for (String n : List.of("n1", "n2", "n3")) {
                p.upsert(n, node(n)).join();
            }
            p.upsert("n1", node("n1"), 7).join();
        }
        return Conditions.waitFor(
                "3 entries, every partition checksummed and caught up, one rejection",
                Duration.ofSeconds(60),
                () -> {
                    m.requestChecksums();
                    return StatusReader.read(kafka.clientConfig(), ns, m.applicationId(), Clock.systemUTC());
                },
                s -> s.entries() == 3
                        && s.rejectionsLastHourTotal() == 1
                        && s.partitions().stream().allMatch(p -> p.lag() == 0 && p.lastChecksum() != null));
    }

    @Test
    void showsTopicsInstancesLagChecksumsRejectionsAndSize(KafkaFixture kafka) throws Exception {
        Namespace ns = MaterializerFixture.provision(kafka, 2);
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of())) {
            NamespaceStatus s = settled(kafka, ns, m);
            assertEquals(
                    List.of(
                            new NamespaceStatus.Topic(ns.changes(), true, 2),
                            new NamespaceStatus.Topic(ns.state(), true, 2),
                            new NamespaceStatus.Topic(ns.checksums(), true, 2),
                            new NamespaceStatus.Topic(ns.rejections(), true, 2),
                            new NamespaceStatus.Topic(ns.history(), true, 2),
                            new NamespaceStatus.Topic(ns.schemas(), true, 1)),
                    s.topics());
            assertEquals(Map.of("VERSION_CONFLICT", 1L), s.rejectionsLastHour());
            assertEquals(
                    1, s.materializers().instances().size(), s.materializers().toString());
            assertEquals(List.of(0, 1), s.materializers().instances().get(0).partitions());
            String owner = s.materializers().instances().get(0).clientId();
            assertTrue(
                    s.partitions().stream().allMatch(p -> p.owner().equals(owner)),
                    s.partitions().toString());
            assertEquals(
                    4,
                    s.partitions().stream()
                            .mapToLong(NamespaceStatus.Partition::end)
                            .sum(),
                    "4 changes");
            assertTrue(s.stateBytes() > 0, "state bytes " + s.stateBytes());
            assertEquals(List.of(), s.slices());
        }
    }

    @Test
    void theMaterializersRootPageShowsTheSameInABrowser(KafkaFixture kafka) throws Exception {
        Namespace ns = MaterializerFixture.provision(kafka, 2);
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of())) {
            NamespaceStatus s = settled(kafka, ns, m);
            try (HeadlessChromium chromium = HeadlessChromium.start()) {
                chromium.driver().get("http://127.0.0.1:" + m.httpPort() + "/");
                assertEquals("Statecast " + ns.name(), chromium.driver().getTitle());
                assertEquals(List.of(), chromium.errors());
                List<List<String>> partitions = rows(chromium, "partitions");
                assertEquals(2, partitions.size(), partitions.toString());
                long entries = 0;
                for (List<String> row : partitions) {
                    assertEquals("0", row.get(3), "lag of " + row); // lag column
                    assertTrue(row.get(5).matches("\\d{4}-.*Z"), "last checksum time of " + row);
                    entries += Long.parseLong(row.get(6));
                }
                assertEquals(3, entries);
                assertEquals(List.of(List.of("VERSION_CONFLICT", "1")), rows(chromium, "rejections"));
                assertEquals("3", rows(chromium, "state").get(0).get(0));
                assertEquals(6, rows(chromium, "topics").size());
                String owner = s.materializers().instances().get(0).clientId();
                assertEquals(
                        List.of(List.of(
                                owner, s.materializers().instances().get(0).host(), "0, 1")),
                        rows(chromium, "instances"));
                chromium.driver().get("http://127.0.0.1:" + m.httpPort() + "/nothing-here");
                assertTrue(chromium.driver().getPageSource().contains("not found"));
            }
        }
    }

    /** The data rows (header row left out) of the table with this id, as cell texts. */
    private static List<List<String>> rows(HeadlessChromium chromium, String id) {
        return chromium.driver().findElement(By.id(id)).findElements(By.tagName("tr")).stream()
                .map(tr -> tr.findElements(By.tagName("td")).stream()
                        .map(WebElement::getText)
                        .toList())
                .filter(cells -> !cells.isEmpty())
                .toList();
    }
}
