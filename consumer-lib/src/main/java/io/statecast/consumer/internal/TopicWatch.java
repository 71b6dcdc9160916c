package io.statecast.consumer.internal;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.TopicMismatchException;
import io.statecast.consumer.ResetEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop's checks between polls: whether the brokers answer (the view turns {@code STALE} and
 * back, each partition's caught-up time with it: {@link CaughtUpTimes}), whether the state topic is still
 * the one the view read (a recreated topic has another id), and whether the namespace kept its partition
 * count ({@link PartitionCounts}: the view fails when not). It decides; the loop acts.
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
    private final ViewSource source;
    private final CaughtUpTimes caughtUp;
    private final ViewTable<?> table;
    private Uuid topicId;
    private PartitionCounts counts;

    /** What the checks found: partitions to read again from the beginning, and why (none: nothing). */
    record Found(Set<Integer> partitions, ResetEvent.Reason reason) {
        static final Found NOTHING = new Found(Set.of(), null);
    }

    /** @param nowNanos the monotonic time the first checks are due at */
    TopicWatch(ViewConsumer consumer, TopicFacts facts, ViewParts<?> view, Clock clock, LoopSettings s, long nowNanos) {
        this.consumer = consumer;
        this.facts = facts;
        this.life = view.life();
        this.clock = clock;
        this.logId = view.logId();
        this.brokerCheck = new Every(s.brokerCheck(), nowNanos);
        this.topicCheck = new Every(s.topicCheck(), nowNanos);
        this.source = s.source();
        this.table = view.table();
        this.caughtUp = new CaughtUpTimes(CaughtUpTimes.retentionOf(facts), s.source(), view.logId(), s.brokerCheck());
    }

    /** The topic id the view reads (null when it could not be had at start). */
    Uuid topicId() {
        return topicId;
    }

    /**
     * Remembers the topic id and the partition counts the view starts with.
     *
     * @param sources the state topic's partition count the view reads by (consumer metadata)
     * @throws TopicMismatchException when {@code <ns>.state} and {@code <ns>.changes} differ
     */
    void start(Uuid id, ViewSource source, int sources) {
        topicId = id;
        Map<String, Integer> now = countsOrEmpty(source.countedTopics());
        Namespace ns = source.namespace();
        counts = new PartitionCounts(now, ns == null ? null : ns.state(), ns == null ? null : ns.changes(), sources);
    }

    /** Checks the {@code sc.partitions} header of a poll's marks. @throws TopicMismatchException on another count */
    void checkMarks(ConsumerRecords<byte[], byte[]> records, Predicate<TopicPartition> isState) {
        for (TopicPartition tp : records.partitions()) {
            if (!isState.test(tp)) {
                records.records(tp).forEach(r -> counts.checkMark(r.headers(), tp.toString()));
            }
        }
    }

    /**
     * Runs the checks due at {@code nowNanos} for the Kafka partitions {@code ids}; those in
     * {@code reReads} wait for a re-read's offsets.
     *
     * @throws TopicMismatchException when a partition count changed
     * @return every partition when the topic was recreated, else those not caught up for longer than the
     *     topic's {@code delete.retention.ms} allows ({@link CaughtUpTimes}), else nothing
     */
    Found check(long nowNanos, Set<Integer> ids, Set<Integer> reReads) {
        Found found = Found.NOTHING;
        if (brokerCheck.due(nowNanos)) {
            Set<Integer> old = checkBrokers(ids, reReads);
            found = old.isEmpty() ? found : new Found(old, ResetEvent.Reason.DELETE_RETENTION);
        }
        if (topicCheck.due(nowNanos) && topicChanged(source.countedTopics())) {
            found = new Found(ids, ResetEvent.Reason.TOPIC_RECREATED);
        }
        return found;
    }

    // A broker that does not answer leaves the view readable but stale; recovery resumes from the positions
    // unless a partition was not caught up for longer than the topic keeps tombstones.
    private Set<Integer> checkBrokers(Set<Integer> ids, Set<Integer> reReads) {
        long askedAt = clock.millis();
        Map<Integer, Long> ends = consumer.endsIfAnswered(ids);
        if (ends == null) {
            Instant now = clock.instant();
            if (life.lostBrokers(now)) {
                log.warn("{} cannot reach the brokers; serving the last view, stale since {}", logId, now);
            }
            return Set.of();
        }
        Instant since = life.reachedBrokers();
        if (since != null) {
            log.info(
                    "{} broker reachable again after {} ms; resuming from the positions",
                    logId,
                    Duration.between(since, clock.instant()).toMillis());
            caughtUp.brokersReturned();
        }
        return caughtUp.update(table.partitions(), ends, askedAt, clock.millis(), reReads);
    }

    // A recreated topic (another topic id) is read again whole; a namespace whose partition count changed
    // fails the view (PartitionCounts).
    private boolean topicChanged(Set<String> counted) {
        Uuid now;
        try {
            now = facts.topicId();
        } catch (StatecastException e) {
            return false; // deleted and not yet recreated, or unreachable: keep serving
        }
        counts.check(countsOrEmpty(counted));
        if (topicId == null || topicId.equals(now)) {
            return false;
        }
        log.warn("{} topic {} was recreated (id {} -> {}); re-bootstrapping", logId, facts.topic(), topicId, now);
        topicId = now;
        return true;
    }

    // Unanswered: nothing to compare this time (the broker check turns the view STALE).
    private Map<String, Integer> countsOrEmpty(Set<String> topics) {
        try {
            return facts.partitionCounts(topics);
        } catch (StatecastException e) {
            log.debug("{} partition counts of {} not known now: {}", logId, topics, e.getMessage());
            return Map.of();
        }
    }
}
