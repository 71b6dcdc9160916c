package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop's checks between polls: whether the brokers answer (the view turns {@code STALE} and
 * back) and whether the state topic is still the one the view read (a recreated topic has another id).
 * It decides; the loop acts.
 */
final class TopicWatch {
    private static final Logger log = LoggerFactory.getLogger(TopicWatch.class);

    private final ViewConsumer consumer;
    private final TopicFacts facts;
    private final ViewLifecycle life;
    private final Clock clock;
    private final String logId;
    private final Every brokerCheck;
    private final Every topicCheck;
    private Uuid topicId;

    /** @param nowNanos the monotonic time the first checks are due at */
    TopicWatch(
            ViewConsumer consumer,
            TopicFacts facts,
            ViewParts<?> view,
            Clock clock,
            PollLoop.Settings s,
            long nowNanos) {
        this.consumer = consumer;
        this.facts = facts;
        this.life = view.life();
        this.clock = clock;
        this.logId = view.logId();
        this.brokerCheck = new Every(s.brokerCheck(), nowNanos);
        this.topicCheck = new Every(s.topicCheck(), nowNanos);
    }

    /** The topic id the view reads (null when it could not be had at start). */
    Uuid topicId() {
        return topicId;
    }

    void start(Uuid id) {
        topicId = id;
    }

    /**
     * Runs the checks due at {@code nowNanos} for the Kafka partitions {@code ids}.
     *
     * @return whether the topic was recreated: every partition must be read again
     */
    boolean recreated(long nowNanos, Set<Integer> ids) {
        if (brokerCheck.due(nowNanos)) {
            checkBrokers(ids);
        }
        return topicCheck.due(nowNanos) && topicChanged();
    }

    // A broker that does not answer leaves the view readable but stale; recovery resumes from the positions.
    private void checkBrokers(Set<Integer> ids) {
        if (consumer.brokersAnswer(ids)) {
            Instant since = life.reachedBrokers();
            if (since != null) {
                log.info(
                        "{} broker reachable again after {} ms; resuming from the positions",
                        logId,
                        Duration.between(since, clock.instant()).toMillis());
            }
        } else {
            Instant now = clock.instant();
            if (life.lostBrokers(now)) {
                log.warn("{} cannot reach the brokers; serving the last view, stale since {}", logId, now);
            }
        }
    }

    // A recreated topic (another topic id) is read again whole.
    private boolean topicChanged() {
        Uuid now;
        try {
            now = facts.topicId();
        } catch (StatecastException e) {
            return false; // deleted and not yet recreated, or unreachable: keep serving
        }
        if (topicId == null || topicId.equals(now)) {
            return false;
        }
        log.warn("{} topic {} was recreated (id {} -> {}); re-bootstrapping", logId, facts.topic(), topicId, now);
        topicId = now;
        return true;
    }
}
