package io.statecast.materializer;

import io.statecast.common.Namespace;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The materializer in a JVM of its own, SIGKILLed twice while changes pour in, each time restarted on
 * an empty state directory (its stores come back from their changelogs), with a second slice added
 * between the kills so that its back-fill is interrupted too: every slice equals the table projected
 * by its field, and every slice checksum equals the digests recomputed from the slice log.
 */
@StatecastKafkaTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SliceKillIT {

    @Test
    void sigkilledMidLoadAndRestartedOnAnEmptyStateDirectoryEverySliceEqualsTheProjection(KafkaFixture kafka)
            throws Exception {
        Namespace ns = SliceFixture.provision(kafka, 3, new SliceSpec("by-node", "node", 8));
        Path dir = Files.createDirectories(MaterializerFixture.stateDir());
        Map<Integer, Long> last = new HashMap<>();
        try (StatecastProducer<Pod> p = SliceAssertions.producer(kafka, ns);
                MaterializerJvm m = new MaterializerJvm(kafka.bootstrapServers(), ns, dir)) {
            m.start(dir.resolve("state-1"));
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                Random random = new Random(99);
                for (int i = 0; i < 14; i++) {
                    SliceAssertions.randomOperations(p, random, 300, 2000, last);
                }
            });
            awaitStateRecords(kafka, ns, 1200);
            m.kill();
            m.start(dir.resolve("state-2")); // empty: restored from the changelogs
            try (TopicProvisioner t = new TopicProvisioner(kafka.clientConfig())) {
                t.addSlice(ns, new SliceSpec("by-app", "labels.app", 4), null);
            }
            awaitStateRecords(kafka, ns, 2800);
            m.kill();
            m.start(dir.resolve("state-3"));
            load.join();
            for (String slice : List.of("by-node", "by-app")) {
                SliceAssertions.awaitSliceEqualsProjection(kafka, ns, slice, m::requestChecksums, last);
                SliceAssertions.assertChecksumsEqualTheSliceLog(kafka, ns, slice, 3);
            }
        }
    }

    private static void awaitStateRecords(KafkaFixture kafka, Namespace ns, long n) {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int q = 0; q < 3; q++) {
                ends.put(new TopicPartition(ns.state(), q), OffsetSpec.latest());
            }
            Conditions.waitFor(
                    n + " offsets in " + ns.state(),
                    Duration.ofSeconds(120),
                    () -> admin.listOffsets(ends).all().get().values().stream()
                            .mapToLong(r -> r.offset())
                            .sum(),
                    total -> total >= n);
        }
    }
}
