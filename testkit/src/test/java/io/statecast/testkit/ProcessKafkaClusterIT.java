package io.statecast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster of broker processes: a SIGKILLed broker is really gone (exit code 137, its partition has no
 * leader) and, started again on the same log directory, serves every acknowledged record it held. The
 * topic lives on the killed broker alone, so the records can only come from that broker's own log.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProcessKafkaClusterIT {
    private static final int RECORDS = 1_000;

    @Test
    void aSigkilledBrokerRestartsOnItsLogWithEveryAcknowledgedRecord() {
        try (KafkaFixture kafka = KafkaFixture.of(
                ProcessKafkaCluster.builder().brokers(2).heap("384m").build().start())) {
            ProcessKafkaCluster cluster = (ProcessKafkaCluster) kafka.cluster();
            String topic = "on-broker-1";
            kafka.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1)))));
            List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                sent.add(new ProducerRecord<>(topic, bytes("k" + i), bytes("v" + i)));
            }
            kafka.produce(topic, sent); // acks=all, every send acknowledged
            long pid = cluster.pid(1);
            String address = kafka.bootstrapServers();

            assertEquals(137, cluster.killBroker(1), "exit code of a JVM killed by SIGKILL (128 + 9)");
            assertFalse(cluster.isRunning(1));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is gone");
            Conditions.waitForEquals(
                    "the leader of " + topic + "-0 (none while broker 1 is down)",
                    Duration.ofSeconds(60),
                    -1,
                    () -> cluster.leaderOf(topic, 0));

            cluster.startBroker(1);
            assertNotEquals(pid, cluster.pid(1), "a new JVM");
            assertEquals(address, kafka.bootstrapServers(), "same address after the restart");
            Conditions.waitForEquals(
                    "the leader of " + topic + "-0", Duration.ofSeconds(60), 1, () -> cluster.leaderOf(topic, 0));
            List<ConsumerRecord<byte[], byte[]>> read = kafka.readToEnd(topic);
            assertEquals(RECORDS, read.size(), "records read back from the restarted broker");
            for (int i = 0; i < RECORDS; i++) {
                assertEquals("k" + i + "=v" + i, text(read.get(i)), "record " + i);
            }
            cluster.awaitFullyReplicated(Duration.ofSeconds(60));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8) + "=" + new String(r.value(), StandardCharsets.UTF_8);
    }
}
