package io.statecast.common.kafka;

import io.statecast.common.StatecastException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until every partition of new topics answers {@code ListOffsets}. An idempotent producer that
 * sends the moment a topic is created can lose records (KAFKA-15591: the first batch gets
 * NOT_LEADER_OR_FOLLOWER, then loops on OUT_OF_ORDER_SEQUENCE_NUMBER); after this wait it does not.
 */
public final class TopicReadiness {
    private TopicReadiness() {}

    public static void awaitPartitionsAnswer(Admin admin, Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                for (TopicDescription d : admin.describeTopics(topics)
                        .allTopicNames()
                        .get(5, TimeUnit.SECONDS)
                        .values()) {
                    d.partitions()
                            .forEach(
                                    p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
                }
                admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StatecastException("Interrupted waiting for " + topics, e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
            }
            pause();
        }
        throw new StatecastException("Partitions of " + topics + " did not answer within " + timeout, last);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
