package io.statecast.materializer.internal;

import io.statecast.common.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies. A replaced thread restarts its tasks at the last commit, so it
 * meets the same input again: replacing it for a failure that will repeat loops forever with the
 * partition stuck. Hence: a record too large for its topic replaces the thread only when the topic
 * limits, read again, changed (the retry then rejects the change as {@code TOO_LARGE}); a changes position
 * that fell off the log, or a configuration error (partitions added to the namespace), halts at once; any
 * other failure
 * replaces it once, and the same failure again within {@link #REPEAT_WINDOW} halts the instance
 * ({@code SHUTDOWN_CLIENT}: state ERROR, {@code /health} 503) with the failure logged and handed to
 * {@code onHalt}.
 */
public final class FailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(FailurePolicy.class);
    /** The same failure again within this window is taken to repeat. */
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);

    private final String ns;
    private final BooleanSupplier limitsChanged;
    private final Clock clock;
    private final Consumer<Throwable> onHalt;
    private String lastFailure;
    private long lastAt;

    /**
     * @param limitsChanged reads the topic limits again and says whether one changed
     * @param onHalt told the failure that halts the instance
     */
    public FailurePolicy(String ns, BooleanSupplier limitsChanged, Clock clock, Consumer<Throwable> onHalt) {
        this.ns = ns;
        this.limitsChanged = limitsChanged;
        this.clock = clock;
        this.onHalt = onHalt;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        ConfigurationException config = causeOf(e, ConfigurationException.class);
        if (config != null) {
            return halt(config.getMessage(), config); // the namespace's configuration is wrong: no retry helps
        }
        if (offsetLost(e)) {
            return halt(
                    "a changes partition has no valid offset to resume from (changes deleted before they"
                            + " were processed?); a restart names what was lost",
                    e);
        }
        if (tooLarge(e)) {
            if (limitsChanged.getAsBoolean()) {
                log.warn(
                        "[materializer ns={}] a record was too large for a topic whose limit changed; retrying", ns, e);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            return halt("a record is too large for its topic and the limits did not change", e);
        }
        String failure = signature(e);
        long now = clock.millis();
        if (failure.equals(lastFailure) && now - lastAt < REPEAT_WINDOW.toMillis()) {
            return halt("the same failure happened again after the stream thread was replaced", e);
        }
        lastFailure = failure;
        lastAt = now;
        log.error("[materializer ns={}] stream thread failed; replacing it once", ns, e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private StreamThreadExceptionResponse halt(String why, Throwable e) {
        log.error("[materializer ns={}] halting: {}; fix the cause and restart the materializer", ns, why, e);
        onHalt.accept(e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    // The source never resets by itself (AutoOffsetReset.none): a position off the log ends up here.
    static boolean offsetLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidOffsetException
                    || (t.getMessage() != null && t.getMessage().contains("No valid committed offset found"))) {
                return true;
            }
        }
        return false;
    }

    static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    // The root cause's type and message: what a retry at the same input meets again.
    static String signature(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
    }
}
