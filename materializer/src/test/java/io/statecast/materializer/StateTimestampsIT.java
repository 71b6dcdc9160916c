package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.producer.SliceSpec;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * State records carry the broker's append time, whatever the materializer's clock says (issue 20, scenario
 * 12): the log cleaner measures {@code min.compaction.lag.ms} against record timestamps with the broker's
 * clock, and a view that judges whether a checksum's point is still in the uncompacted part of the log
 * compares those timestamps with its own clock. With the materializer's timestamps a materializer whose
 * clock is off made views judge by the wrong time.
 */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StateTimestampsIT {

    @Test
    void stateRecordsCarryTheBrokersAppendTimeNotTheMaterializersClock(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 1);
        Clock twoDaysBehind = Clock.offset(Clock.systemUTC(), Duration.ofDays(-2));
        try (Materializer m = MaterializerFixture.start(kafka, ns, Map.of(), twoDaysBehind);
                StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .build()) {
            p.upsert("a", MaterializerSemanticsIT.node("a", 1)).join();
            p.delete("a").join();
            long now = System.currentTimeMillis(); // the broker in this JVM runs on this clock
            List<ConsumerRecord<byte[], byte[]>> state = Conditions.waitFor(
                    "2 records in " + ns.state(),
                    Duration.ofSeconds(60),
                    () -> kafka.readToEnd(ns.state()),
                    r -> r.size() == 2);
            for (ConsumerRecord<byte[], byte[]> r : state) {
                assertEquals(TimestampType.LOG_APPEND_TIME, r.timestampType(), "timestamp type of " + r);
                assertTrue(
                        Math.abs(r.timestamp() - now) < Duration.ofHours(1).toMillis(),
                        "timestamp " + r.timestamp() + " is the broker's time " + now + ", not the materializer's");
            }
        }
    }

    @Test
    void stateAndItsSlicesAreCreatedWithLogAppendTime(KafkaFixture kafka) {
        Namespace ns = MaterializerFixture.provision(kafka, 2);
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.addSlice(ns, SliceSpec.parse("by-zone=zone:3"), Node.getClassSchema());
        }
        var state = new ConfigResource(ConfigResource.Type.TOPIC, ns.state());
        var slice = new ConfigResource(ConfigResource.Type.TOPIC, ns.slice("by-zone"));
        var configs = KafkaFixture.get(
                kafka.admin().describeConfigs(List.of(state, slice)).all());
        assertEquals(
                "LogAppendTime",
                configs.get(state).get("message.timestamp.type").value(),
                ns.state());
        assertEquals(
                "LogAppendTime",
                configs.get(slice).get("message.timestamp.type").value(),
                ns.slice("by-zone"));
    }
}
