package io.statecast.cli;

import com.google.common.util.concurrent.RateLimiter;
import io.statecast.cli.ChaosModel.Sent;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Op;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos suite's load: producers of random upserts, deletes and compare-and-sets (often with a wrong
 * expected version, on purpose) at a fixed rate, so that the faults land mid-stream.
 */
final class ChaosLoad {
    static final int OPERATIONS_PER_PRODUCER = 100_000;
    static final int KEYS = 20_000;
    static final int RATE_PER_PRODUCER = 2_000; // changes/s
    static final AvroCodec<Node> NODES = AvroCodec.specific(Node.class, SchemaResolver.builtIn());

    private ChaosLoad() {}

    /** A daemon thread that sends this producer's operations, recording each in {@code sent}. */
    static Thread writer(
            KafkaFixture kafka, Namespace ns, String id, long seed, List<Sent> sent, AtomicInteger progress) {
        Thread t = new Thread(
                () -> {
                    Random r = new Random(seed);
                    Map<String, Long> guess =
                            new HashMap<>(); // this producer's own idea of each version: often wrong, on purpose
                    Semaphore inFlight = new Semaphore(5_000);
                    try (StatecastProducer<Node> p = StatecastProducer.builder(Node.class)
                            .namespace(ns.name())
                            .kafka(kafka.clientConfig())
                            .producerId(id)
                            .build()) {
                        RateLimiter pace = RateLimiter.create(RATE_PER_PRODUCER);
                        for (int i = 0; i < OPERATIONS_PER_PRODUCER; i++) {
                            pace.acquire();
                            String key = "node-" + r.nextInt(KEYS);
                            int dice = r.nextInt(100);
                            long g = guess.getOrDefault(key, 0L);
                            CompletableFuture<Receipt> receipt;
                            Sent s;
                            inFlight.acquire();
                            if (dice < 55) { // upsert; one payload in four repeats the current one (a no-op)
                                Node n = node(key, r.nextInt(4));
                                receipt = p.upsert(key, n);
                                s = new Sent(Op.UPSERT, key, NODES.encode(n), null, receipt);
                                guess.put(key, g + 1);
                            } else if (dice < 67) { // delete, sometimes of an absent key
                                receipt = p.delete(key);
                                s = new Sent(Op.DELETE, key, null, null, receipt);
                                guess.put(key, g + 1);
                            } else if (dice < 92) { // compare-and-set upsert
                                Node n = node(key, r.nextInt(4));
                                long expected = r.nextInt(4) == 0 ? g + r.nextInt(3) - 1 : g;
                                receipt = p.upsert(key, n, Math.max(0, expected));
                                s = new Sent(Op.UPSERT, key, NODES.encode(n), Math.max(0, expected), receipt);
                                guess.put(key, g + 1);
                            } else { // compare-and-set delete
                                receipt = p.delete(key, g);
                                s = new Sent(Op.DELETE, key, null, g, receipt);
                                guess.put(key, g + 1);
                            }
                            receipt.whenComplete((x, e) -> inFlight.release());
                            sent.add(s);
                            progress.incrementAndGet();
                        }
                        p.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "chaos-writer-" + id);
        t.setDaemon(true);
        return t;
    }

    static Node node(String key, int variant) {
        return Node.newBuilder()
                .setName(key)
                .setZone("zone-" + variant)
                .setCpuMillis(1000 * (variant + 1))
                .setMemoryBytes(1L << 34)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }
}
