package io.statecast.capture.internal;

import io.statecast.capture.CaptureException;
import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries a Kafka step with growing pauses (up to 10 s) until it succeeds; a {@link CaptureException} is fatal. */
final class Retry {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    private final String what;

    Retry(String what) {
        this.what = what;
    }

    void run(Runnable step) {
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (CaptureException e) {
                throw e;
            } catch (KafkaException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CaptureException("interrupted while trying to " + what, false, e);
                }
                log.warn("Cannot {} (attempt {}): {}; retrying in {} ms", what, attempt, e.getMessage(), pause);
                sleep(pause);
                pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while trying to " + what, false, e);
        }
    }
}
