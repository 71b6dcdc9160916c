package io.statecast.devtools.demo;

import io.statecast.common.Receipt;
import io.statecast.schemas.demo.Pod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the demo's simulator keeps the pods: written with {@code StatecastProducer} ({@link KafkaPods}, the
 * default), or rows of a PostgreSQL table that capture brings into the pods namespace ({@link PostgresPods},
 * {@code --source postgres}).
 */
interface PodSink extends AutoCloseable {
    /** Writes a pod; the receipt completes once Kafka has it, with null when the pod goes through a database. */
    CompletableFuture<Receipt> upsert(String key, Pod pod);

    /** Deletes a pod, as {@link #upsert}. */
    CompletableFuture<Receipt> delete(String key);

    /** Waits until every write so far is in the pods namespace's {@code changes} topic. */
    void flush();

    /** After {@link #flush()}: receipts of the last changes, when the sends did not give them (else empty). */
    List<Receipt> lastChanges();

    /** The authoritative table, by node: what every agent's view must equal at the end. */
    Map<String, Map<String, Pod>> byNode();

    /** An agent applied a new value of {@code key}: a sink that times commit to visible records it. */
    default void seen(String key, Pod pod) {}

    /** What the read-your-writes latencies measure, e.g. {@code send -> visible in the agent}. */
    String latency();

    @Override
    void close();
}
