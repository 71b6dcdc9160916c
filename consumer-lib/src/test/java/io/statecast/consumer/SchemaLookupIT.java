package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.common.Namespace;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Looking a writer schema up in the schemas topic never makes the view's readers wait. */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SchemaLookupIT {

    /**
     * A record naming a schema nobody registered makes the view read the schemas topic; with the broker
     * gone (stopped by the index extractor on the record before, one record per poll) that read takes its
     * full timeout. A reader asking while it runs must be answered before the view gives the record up.
     */
    @Test
    void readersAreAnsweredWhileTheViewLooksForAnUnknownSchema() throws Exception {
        try (KafkaFixture kafka =
                KafkaFixture.of(EmbeddedKafkaCluster.builder().build().start())) {
            Namespace ns = BootstrapIT.provision(kafka, 1);
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.begin();
                m.write(0, "pod-0", FakeMaterializer.pod("pod-0", "n", PodPhase.RUNNING));
                m.commit();
            }
            AtomicBoolean stopped = new AtomicBoolean();
            Map<String, Object> config = kafka.clientConfig();
            config.put("max.poll.records", 1); // the next record comes from the consumer's buffer
            try (StateView<Pod> view = StateView.builder(Pod.class)
                    .namespace(ns.name())
                    .kafka(config)
                    .index("byNode", p -> {
                        if ("stop-broker".equals(p.getNode()) && stopped.compareAndSet(false, true)) {
                            kafka.embedded().stopBroker(0);
                        }
                        return p.getNode();
                    })
                    .build()) {
                view.start().awaitReady(Duration.ofSeconds(30));
                try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                    m.skipSrcOffsets(1);
                    m.begin();
                    m.write(0, "trigger", FakeMaterializer.pod("trigger", "stop-broker", PodPhase.RUNNING));
                    byte[] unknown = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
                    m.writePayload(0, "unknown-schema", unknown);
                    m.commit();
                }
                Conditions.waitFor("the broker stopped by the view's thread", Duration.ofSeconds(60), stopped::get);
                // The view is looking for the schema once its schemas reader exists (it reads for its timeout).
                ObjectName reader =
                        new ObjectName("kafka.consumer:type=consumer-metrics,client-id=statecast-schemas-reader");
                Conditions.waitFor(
                        "the view reading the schemas topic",
                        Duration.ofSeconds(60),
                        () -> !ManagementFactory.getPlatformMBeanServer()
                                .queryNames(reader, null)
                                .isEmpty());
                CompletableFuture<Long> skippedWhenAnswered = CompletableFuture.supplyAsync(() -> {
                    view.get("pod-0");
                    return view.stats().recordsSkipped();
                });
                long skipped = Conditions.waitFor(
                        "a read answered",
                        Duration.ofSeconds(90),
                        () -> skippedWhenAnswered.getNow(null),
                        s -> s != null);
                assertEquals(0, skipped, "the read was answered while the view still looked for the schema");
                Conditions.waitFor(
                        "the record naming an unknown schema skipped and counted",
                        Duration.ofSeconds(90),
                        () -> view.stats().recordsSkipped() == 1);
                kafka.embedded().startBroker(0);
            }
        }
    }
}
