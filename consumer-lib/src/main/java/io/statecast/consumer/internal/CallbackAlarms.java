package io.statecast.consumer.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view's {@link CallbackFailures}: each throw is counted ({@code stats().reading().callbackFailures()}),
 * raised as an alarm ({@code status().alarms()}, bounded) and logged — the first ten, then at powers of
 * two, never a line per record.
 */
final class CallbackAlarms implements CallbackFailures {
    private static final Logger log = LoggerFactory.getLogger(CallbackAlarms.class);

    private final String logId;
    private final ViewCounters counters;
    private final ViewLifecycle life;

    CallbackAlarms(String logId, ViewCounters counters, ViewLifecycle life) {
        this.logId = logId;
        this.counters = counters;
        this.life = life;
    }

    @Override
    public void failed(String callback, String where, RuntimeException e) {
        long n = counters.callbackFailed();
        String alarm = callback + " threw on " + where + ": " + e;
        life.alarm(alarm);
        if (n <= 10 || Long.bitCount(n) == 1) {
            log.warn("{} {} ({} user callback failures so far); the view goes on without it", logId, alarm, n, e);
        }
    }
}
