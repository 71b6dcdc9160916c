package io.statecast.materializer;

import static io.statecast.testkit.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@StatecastKafkaTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TwoInstancesAndHttpIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoInstancesShareThePartitionsServeEachOthersKeysAndSurviveARebalanceUnderLoad(KafkaFixture kafka)
            throws Exception {
        Namespace ns = MaterializerFixture.provision(kafka, 6);
        Map<String, Object> app = Map.of(MaterializerConfig.APPLICATION_ID, "app-" + ns.name());
        Map<Integer, Long> lastOffsets = new HashMap<>();
        try (StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build();
                Materializer a = MaterializerFixture.start(kafka, ns, app);
                Materializer b = MaterializerFixture.start(kafka, ns, app)) {
            waitFor(
                    "both instances RUNNING after the rebalance",
                    Duration.ofSeconds(60),
                    () -> get(a, "/ready").statusCode() == 200
                            && get(b, "/ready").statusCode() == 200);
            ChecksumsAndRestartIT.randomOperations(p, new Random(1), 600, lastOffsets);
            p.upsert("web-1", MaterializerSemanticsIT.node("web-1", 7)).join();

            // The key is owned by exactly one instance; both answer for it.
            String ownerPort = null;
            for (Materializer m : List.of(a, b)) {
                waitFor(
                        "GET /state/web-1 finds the key",
                        Duration.ofSeconds(30),
                        () -> get(m, "/state/web-1").statusCode() == 200);
                String body = get(m, "/state/web-1").body();
                assertTrue(body.contains("\"version\":1") && body.contains("\"cpuMillis\": 7"), body);
                String servedBy = body.replaceAll(".*\"servedBy\":\"[^:]+:(\\d+)\".*\\s*", "$1");
                ownerPort = ownerPort == null ? servedBy : ownerPort;
                assertEquals(ownerPort, servedBy, "the owner serves the key for both instances");
            }
            int partition = Utils.toPositive(Utils.murmur2("web-1".getBytes())) % 6;
            assertTrue(
                    ownerPort.equals(Integer.toString(a.httpPort()))
                            || ownerPort.equals(Integer.toString(b.httpPort())),
                    "partition " + partition + " served by " + ownerPort);
            assertEquals(404, get(a, "/state/never-written").statusCode());
            assertEquals(200, get(a, "/health").statusCode());
            String metrics = get(b, "/metrics").body();
            assertTrue(metrics.contains("statecast_materializer_accepted_total"), "our counters");
            assertTrue(metrics.contains("kafka_stream"), "Kafka Streams metrics");
            assertEquals(
                    202,
                    http.send(
                                    HttpRequest.newBuilder(uri(a, "/checksums"))
                                            .POST(HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());

            // Rebalance under load: b leaves while changes keep coming; a takes its partitions over.
            Thread load = new Thread(() -> ChecksumsAndRestartIT.randomOperations(p, new Random(2), 1500, lastOffsets));
            load.start();
            b.close(Duration.ofSeconds(30));
            load.join();
            ChecksumsAndRestartIT.awaitChecksumsCovering(kafka, ns, a, lastOffsets);
        }
        var state = kafka.readToEnd(ns.state());
        ChecksumsAndRestartIT.assertGaplessVersions(state);
        for (var c : MaterializerFixture.checksums(kafka, ns)) {
            var recomputed = MaterializerFixture.digestFromLog(state, c.getPartition(), c.getSrcOffset());
            assertTrue(recomputed.matches(c.getCount(), c.getLanes()), c + " vs " + recomputed);
        }
    }

    private HttpResponse<String> get(Materializer m, String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(m, path)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static URI uri(Materializer m, String path) {
        return URI.create("http://127.0.0.1:" + m.httpPort() + path);
    }
}
