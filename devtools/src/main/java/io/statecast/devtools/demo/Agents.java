package io.statecast.devtools.demo;

import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.schemas.demo.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The demo's node agents. A slice view reads only its node's partition of the pods' {@code by-node} slice
 * and holds only its node's pods; a whole-table view (the way before slices) reads every partition of the
 * state topic and filters the pods of its node. Agents start on threads of their own, so that a wave's
 * agents really start at once (a view's {@code start()} reads the slice definitions first) and the churn
 * goes on meanwhile.
 */
final class Agents implements AutoCloseable {
    /** The slice the demo defines on the pods' namespace, by the pod's node. */
    static final String SLICE = "by-node";

    /** Its partitions: a demo has a few dozen nodes, mostly one per partition. */
    static final int SLICE_PARTITIONS = 64;

    private final Namespace pods;
    private final String bootstrapServers;
    private final long seed;
    private final List<Agent> started;
    private final Map<String, Agent> byNode = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Agent>> starting = new CopyOnWriteArrayList<>();
    private final ExecutorService threads;
    private final BiConsumer<String, Pod> seen;

    /**
     * Agents of {@code pods}' views; each one started is added to {@code started}, and {@code seen} hears every
     * new value an agent applies after its bootstrap.
     */
    Agents(Namespace pods, String bootstrapServers, long seed, List<Agent> started, BiConsumer<String, Pod> seen) {
        this.seen = seen;
        this.pods = pods;
        this.bootstrapServers = bootstrapServers;
        this.seed = seed;
        this.started = started;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "statecast-demo-" + pods + "-agent-start-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the agent of {@code node}; a corruptible one has self-heal off (the test of the final check). */
    void start(String node, Wave wave, boolean corruptible) {
        CompletableFuture<Agent> f = CompletableFuture.supplyAsync(() -> agent(node, wave, corruptible), threads);
        starting.add(f.thenApply(a -> {
            byNode.put(node, a);
            started.add(a);
            return a;
        }));
    }

    /** The agent of {@code node} once started, else null. */
    Agent of(String node) {
        return byNode.get(node);
    }

    /** Waits until every agent asked for has started; a start that failed fails this. */
    void awaitStarted(Duration timeout) throws TimeoutException {
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "An agent could not start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private Agent agent(String node, Wave wave, boolean corruptible) {
        AtomicLong deltas = new AtomicLong();
        StateView.Builder<Pod> b = StateView.builder(Pod.class)
                .namespace(pods.name())
                .kafka(Map.of("bootstrap.servers", bootstrapServers, "client.id", "agent-" + node));
        (wave.sliced() ? b.slice(SLICE, node) : b.filter(p -> node.equals(p.getNode())))
                .index("byNode", Pod::getNode)
                .listener("deltas", c -> {
                    if (!c.meta().initial()) {
                        deltas.incrementAndGet();
                        seen.accept(c.key(), c.newValue());
                    }
                });
        if (!wave.splay().isZero()) {
            b.startupSplay(wave.splay(), seed + node.hashCode());
        }
        if (corruptible) {
            b.verification(false, 16); // the corrupted agent cannot heal: the final check must catch it
        }
        return new Agent(node, wave, b.build(), deltas);
    }

    /** Lets the starts under way finish (10 s at most; their agents are then in the list to close). */
    @Override
    public void close() {
        try {
            awaitStarted(Duration.ofSeconds(10));
        } catch (TimeoutException | IllegalStateException e) {
            // closing anyway: what started is in the list
        }
        threads.shutdownNow();
    }
}
