package io.statecast.consumer.internal;

import io.statecast.common.StatecastException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each partition's caught-up time ({@link ReadProgress#caughtUpAtMs}) from the end offsets of the
 * broker check, and finds the partitions not caught up for longer than the topic's
 * {@code delete.retention.ms} minus a margin ({@link Retention}): they may have missed deletes, and are
 * read again. While the brokers are gone nothing is known, so a view stale for longer than the retention
 * is read again when they return instead of resuming from its positions.
 */
final class CaughtUpTimes {
    private static final Logger log = LoggerFactory.getLogger(CaughtUpTimes.class);
    private static final long UNSET_RETENTION = 86_400_000L; // Kafka's default delete.retention.ms

    private final LongSupplier askRetention;
    private final ViewSource source;
    private final String logId;
    private final long floorMs;
    private Long retentionMs; // asked once it is needed, again after an outage (it may have changed)
    private final Map<Integer, long[]> previous = new HashMap<>(); // Kafka partition → {end, asked at}

    /**
     * @param askRetention asks the topic's {@code delete.retention.ms}; throws {@link StatecastException}
     *     when the brokers do not say
     * @param checkInterval how often the brokers are asked: caught-up times are known at that resolution, so
     *     a table is judged too old only past ten of them, whatever the retention (a topic keeping tombstones
     *     1 s, as tests set, would otherwise have every view read again after each check)
     */
    CaughtUpTimes(LongSupplier askRetention, ViewSource source, String logId, java.time.Duration checkInterval) {
        this.askRetention = askRetention;
        this.source = source;
        this.logId = logId;
        this.floorMs = 10 * checkInterval.toMillis();
    }

    /** The retention of {@code facts}' topic, Kafka's default when it is not set. */
    static LongSupplier retentionOf(TopicFacts facts) {
        return () -> facts.configLong("delete.retention.ms", UNSET_RETENTION);
    }

    /** The brokers were gone: the retention is asked again (an operator may have changed it meanwhile). */
    void brokersReturned() {
        retentionMs = null;
    }

    /**
     * After the brokers answered with {@code ends} (Kafka partition → end offset) asked at
     * {@code askedAtMs}: a table whose position reached that end is caught up then, and one that reached
     * the end of the previous check is caught up as of that check (under a steady stream of writes the
     * position is rarely at the newest end, but it passes the previous one); a table behind is then judged
     * by its age. Partitions being read again ({@code reReads}) are left alone.
     *
     * @return the Kafka partitions to read again from the beginning
     */
    Set<Integer> update(
            Collection<Partition> tables, Map<Integer, Long> ends, long askedAtMs, long nowMs, Set<Integer> reReads) {
        Set<Integer> old = new TreeSet<>();
        String why = null;
        for (Partition p : tables) {
            int kafka = source.kafkaOf(p.id);
            ReadProgress r = p.progress;
            Long end = ends.get(kafka);
            long[] before = previous.get(kafka);
            if (reReads.contains(kafka) || end == null) {
                continue;
            }
            if (r.position >= end) {
                r.caughtUpAtMs = Math.max(r.caughtUpAtMs, askedAtMs);
                continue;
            }
            if (before != null && r.position >= before[0]) {
                r.caughtUpAtMs = Math.max(r.caughtUpAtMs, before[1]);
            }
            if (r.caughtUpAtMs >= 0
                    && nowMs - r.caughtUpAtMs > floorMs
                    && Retention.mayHaveMissedDeletes(r.caughtUpAtMs, nowMs, retentionMs())) {
                why = why != null
                        ? why
                        : Retention.why(
                                source.describe(p.id), r.caughtUpAtMs, nowMs, retentionMs(), source.stateTopic());
                old.add(kafka);
            }
        }
        if (why != null) {
            log.warn("{} {}; reading partition(s) {} again", logId, why, old);
        }
        previous.clear();
        ends.forEach((kafka, end) -> previous.put(kafka, new long[] {end, askedAtMs}));
        return old;
    }

    // Not known (the brokers did not say in time): no partition is judged too old this time.
    private long retentionMs() {
        if (retentionMs == null) {
            try {
                retentionMs = askRetention.getAsLong();
            } catch (StatecastException e) {
                log.debug("{} delete.retention.ms not known now: {}", logId, e.getMessage());
                return Long.MAX_VALUE;
            }
        }
        return retentionMs;
    }
}
