package io.statecast.capture;

import java.time.Duration;
import java.util.Map;

/**
 * A capture in a JVM of its own, for the crash test: {@code CaptureProcess JDBC_URL USER PASSWORD TABLE NS KEY
 * BOOTSTRAP OFFSETS_TOPIC FLUSH_INTERVAL_MS}. Runs until killed.
 */
public final class CaptureProcess {
    private CaptureProcess() {}

    /** Starts the capture the arguments describe and blocks. */
    public static void main(String[] args) {
        try (PostgresCapture capture = PostgresCapture.builder()
                .jdbcUrl(args[0])
                .user(args[1])
                .password(args[2])
                .table(args[3])
                .namespace(args[4])
                .key(args[5])
                .kafka(Map.of("bootstrap.servers", args[6]))
                .offsetsTopic(args[7])
                .offsetFlushInterval(Duration.ofMillis(Long.parseLong(args[8])))
                .build()) {
            capture.start();
            System.out.println("capture started");
            System.out.flush();
            capture.join();
        }
    }
}
