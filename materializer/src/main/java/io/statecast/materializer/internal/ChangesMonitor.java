package io.statecast.materializer.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.statecast.common.Namespace;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.materializer.PartitionCountChangedException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The materializer's lag on {@code <ns>.changes}, for the alarm of docs/reliability.md: every
 * {@link #INTERVAL}, per partition, how many changes are not processed yet (the group's committed offset
 * to the last stable offset) and the age of the oldest of them (now minus its timestamp, the broker's
 * append time on a changes topic with {@code message.timestamp.type=LogAppendTime}), next to the window the
 * topic keeps a change. A lag approaching the window means unprocessed changes are about to be deleted.
 * Any instance reports every partition (the group's offsets are shared). It also asks the broker for the
 * partition count of changes each time: partitions added to the namespace halt the instance.
 */
public final class ChangesMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangesMonitor.class);
    /** How often the lag is measured. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Map<String, Object> kafka;
    private final Namespace ns;
    private final String applicationId;
    private final List<TopicPartition> partitions;
    private final Clock clock;
    private final Map<Integer, Double> lagSeconds = new ConcurrentHashMap<>();
    private final Map<Integer, Double> lagRecords = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;
    private Consumer<Throwable> onGrowth;

    /** @param windowMs how long changes keeps a change ({@link ChangesWindow}) */
    public ChangesMonitor(
            Map<String, Object> kafka,
            Namespace ns,
            String applicationId,
            int partitions,
            long windowMs,
            MeterRegistry registry,
            Clock clock) {
        this.kafka = kafka;
        this.ns = ns;
        this.applicationId = applicationId;
        this.clock = clock;
        this.partitions = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(ns.changes(), p))
                .toList();
        Gauge.builder("statecast.materializer.changes.window.seconds", () -> window(windowMs))
                .tag("namespace", ns.name())
                .description("How long " + ns.changes() + " keeps a change (-1: for ever)")
                .register(registry);
        for (TopicPartition tp : this.partitions) {
            int p = tp.partition();
            Gauge.builder("statecast.materializer.changes.lag.seconds", () -> lagSeconds.getOrDefault(p, 0.0))
                    .tag("namespace", ns.name())
                    .tag("partition", Integer.toString(p))
                    .description("Age of the oldest change not processed yet (0: none)")
                    .register(registry);
            Gauge.builder("statecast.materializer.changes.lag.records", () -> lagRecords.getOrDefault(p, 0.0))
                    .tag("namespace", ns.name())
                    .tag("partition", Integer.toString(p))
                    .description("Offsets of changes not processed yet")
                    .register(registry);
        }
    }

    private static double window(long windowMs) {
        return windowMs == ChangesWindow.INFINITE ? -1 : windowMs / 1000.0;
    }

    /**
     * Starts measuring on a thread of its own.
     *
     * @param onGrowth told when partitions were added to changes (the instance must halt)
     */
    public ChangesMonitor start(Consumer<Throwable> onGrowth) {
        this.onGrowth = onGrowth;
        thread = new Thread(this::run, "statecast-materializer-" + ns.name() + "-lag");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, Map.of());
                Admin admin = KafkaClients.admin(kafka)) {
            while (!closed.get()) {
                try {
                    sample(consumer, admin);
                } catch (RuntimeException e) {
                    log.warn("[materializer ns={}] cannot measure the lag on {}: {}", ns, ns.changes(), e.toString());
                }
                pause();
            }
        }
    }

    /** Measures once: records behind and the age of the first of them, per partition. */
    void sample(KafkaConsumer<byte[], byte[]> consumer, Admin admin) {
        int count = StartupChecks.partitionCount(admin, ns.changes());
        if (count != partitions.size()) {
            onGrowth.accept(new PartitionCountChangedException(ns.changes(), partitions.size(), count));
            return;
        }
        Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, applicationId);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<TopicPartition, Long> behind = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long c = committed.getOrDefault(tp, end.get(tp));
            lagRecords.put(tp.partition(), (double) Math.max(0, end.get(tp) - c));
            if (c < end.get(tp)) {
                behind.put(tp, c);
            } else {
                lagSeconds.put(tp.partition(), 0.0);
            }
        }
        Map<Integer, Long> oldest = firstTimestamps(consumer, behind);
        long now = clock.millis();
        behind.keySet()
                .forEach(tp -> lagSeconds.put(
                        tp.partition(),
                        oldest.containsKey(tp.partition())
                                ? Math.max(0, now - oldest.get(tp.partition())) / 1000.0
                                : 0.0));
    }

    // The timestamp of the first committed record at or after each position (none: only markers remain).
    private static Map<Integer, Long> firstTimestamps(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> at) {
        Map<Integer, Long> out = new HashMap<>();
        if (at.isEmpty()) {
            return out;
        }
        consumer.assign(at.keySet());
        at.forEach(consumer::seek);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (out.size() < at.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                out.putIfAbsent(r.partition(), r.timestamp());
            }
        }
        return out;
    }

    private void pause() {
        try {
            stop.await(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.set(true);
        }
    }

    /** Stops measuring; waits for the measuring thread at most a few seconds. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && thread != null) {
            stop.countDown();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
