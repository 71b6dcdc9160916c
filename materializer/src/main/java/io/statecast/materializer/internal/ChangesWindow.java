package io.statecast.materializer.internal;

import io.statecast.common.ConfigurationException;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long {@code <ns>.changes} keeps a change after it was written, by its configs: every change stays
 * for {@code retention.ms} under {@code cleanup.policy=delete}; under {@code compact}, a change superseded by
 * a later one of its key may go once it is older than {@code min.compaction.lag.ms}. A change still
 * unprocessed past this window can be gone; the materializer needs it whole (compare-and-set makes every
 * change count), so the window must exceed any outage or backlog, and the lag metric is compared with it.
 */
public final class ChangesWindow {
    private static final Logger log = LoggerFactory.getLogger(ChangesWindow.class);
    /** No time bound: nothing is ever dropped. */
    public static final long INFINITE = Long.MAX_VALUE;

    private ChangesWindow() {}

    /** The window in milliseconds ({@link #INFINITE} when nothing ever drops a change). */
    public static long of(Config c) {
        Set<String> policy = Set.of(c.get("cleanup.policy").value().split(","));
        long window = INFINITE;
        if (policy.contains("delete")) {
            long retention = Long.parseLong(c.get("retention.ms").value());
            window = retention < 0 ? INFINITE : retention;
        }
        if (policy.contains("compact")) {
            window = Math.min(
                    window, Long.parseLong(c.get("min.compaction.lag.ms").value()));
        }
        return window;
    }

    /**
     * Checks the changes topic's configs: its window at least {@code minWindowMs}, no size bound.
     *
     * @return the window in milliseconds
     * @throws ConfigurationException naming the configs and what to set
     */
    public static long check(String topic, Config c, long minWindowMs) {
        long window = of(c);
        if (window < minWindowMs) {
            throw new ConfigurationException(topic + " may drop a change " + window + " ms after it was written"
                    + " (cleanup.policy=" + c.get("cleanup.policy").value() + ", retention.ms="
                    + c.get("retention.ms").value() + ", min.compaction.lag.ms="
                    + c.get("min.compaction.lag.ms").value() + "), less than changes.min.window.ms=" + minWindowMs
                    + ": a change the materializer has not processed yet could be lost. Set cleanup.policy=delete"
                    + " and retention.ms above any outage you tolerate (statecast topics create does: 7 days);"
                    + " see docs/reliability.md");
        }
        if (!"-1".equals(c.get("retention.bytes").value())
                && c.get("cleanup.policy").value().contains("delete")) {
            throw new ConfigurationException(
                    topic + " has retention.bytes=" + c.get("retention.bytes").value()
                            + ": a backlog larger than that is deleted before the materializer processes it; set"
                            + " retention.bytes=-1");
        }
        if (!"LogAppendTime".equals(c.get("message.timestamp.type").value())) {
            log.warn(
                    "[materializer] {} has message.timestamp.type={}: its retention and the lag metric follow the"
                            + " producers' clocks; LogAppendTime makes them follow the broker's",
                    topic,
                    c.get("message.timestamp.type").value());
        }
        return window;
    }
}
