package io.statecast.capture;

/** A running change-data capture: {@link PostgresCapture} or {@link DebeziumTopicCapture}. */
public interface Capture extends AutoCloseable {
    /**
     * Checks what it can and starts on its own thread.
     *
     * @throws CaptureException naming the fix
     */
    Capture start();

    /** Blocks until capture stops: returns when closed, throws the failure that stopped it. */
    void join();

    /** Changes written to {@code <ns>.changes} so far. */
    long written();

    /** Stops; idempotent and bounded. */
    @Override
    void close();
}
