package io.statecast.bench.internal;

import io.statecast.common.Namespace;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.consumer.StateView;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Latency, measured from the intended send time of a paced, open-loop sender (so a stalled pipeline
 * is not hidden by a sender that waits: no coordinated omission) to the listener callback, in
 * HdrHistogram, per window: (1) end to end, producer → materializer (EOS) → view listener, at each
 * rate and commit interval; (2) the view's own added latency on a plain compacted topic against a raw
 * consumer reading the same records at the same time. The send time (System.nanoTime, one JVM) is in
 * the payload, so no clock crosses a process.
 */
public final class LatencySuite {
    private static final long MAX_MICROS = 120_000_000L;
    private final KafkaFixture kafka;
    private final Report report;
    private final Path work;
    private final boolean quick;
    private final int windows;

    public LatencySuite(KafkaFixture kafka, Report report, Path work, boolean quick, int windows) {
        this.kafka = kafka;
        this.report = report;
        this.work = work;
        this.quick = quick;
        this.windows = windows;
    }

    private Duration window() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(6);
    }

    // Long enough for a fresh materializer's first transactions (and the broker's first writes to its
    // new partitions, which may be retried: KAFKA-15591) to be behind us; the first quick run showed
    // seconds of latency in the first 10 s of a new pipeline.
    private Duration warmUp() {
        return quick ? Duration.ofSeconds(10) : Duration.ofSeconds(15);
    }

    public void run() throws Exception {
        for (long commitMs : new long[] {100, 20}) {
            for (int rate : new int[] {5_000, 20_000}) {
                endToEnd(rate, commitMs);
            }
        }
        report.note(
                "latency, why: a change becomes visible to read_committed views only when the materializer's transaction "
                        + "commits, so a change waits on average half a commit interval, then the commit itself (flush, offsets, markers: "
                        + "a few ms to tens of ms on this machine) and the view's next fetch; with a 20 ms interval these fixed costs "
                        + "dominate and the p99 exceeds 2x the interval.");
        for (int rate : new int[] {5_000, 20_000}) {
            added(rate);
        }
    }

    // ---- end to end ----

    private void endToEnd(int rate, long commitMs) throws Exception {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(6));
        }
        Map<String, Object> mc = new HashMap<>(kafka.clientConfig());
        mc.put(MaterializerConfig.NAMESPACE, ns.name());
        mc.put(MaterializerConfig.HTTP_PORT, 0);
        mc.put(MaterializerConfig.COMMIT_INTERVAL_MS, commitMs);
        mc.put(
                MaterializerConfig.STATE_DIR,
                work.resolve("latency-" + ns.name()).toString());
        Recorder recorder = new Recorder(3);
        try (Materializer m = new Materializer(new MaterializerConfig(mc)).start();
                StateView<Node> view = StateView.builder(Node.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .listener("latency", c -> {
                            if (c.newValue() != null && !c.meta().initial()) {
                                recorder.recordValue(
                                        micros(System.nanoTime() - c.newValue().getMemoryBytes()));
                            }
                        })
                        .build()
                        .start();
                StatecastProducer<Node> producer = StatecastProducer.builder(Node.class)
                        .namespace(ns.name())
                        .kafka(kafka.clientConfig())
                        .kafka(Map.of("linger.ms", 0))
                        .producerId("latency")
                        .build()) {
            view.awaitReady(Duration.ofMinutes(1));
            Random r = new Random(7);
            String name = "producer → materializer → listener, " + rate + "/s, commit.interval.ms=" + commitMs;
            List<Histogram> measured = pace(rate, recorder, (intended) -> {
                String key = "node-" + r.nextInt(10_000);
                producer.upsert(
                        key,
                        Node.newBuilder()
                                .setName(key)
                                .setZone("z")
                                .setCpuMillis(1000)
                                .setMemoryBytes(intended)
                                .setJoinedAt(Instant.EPOCH)
                                .build());
            });
            figures("latency", name, measured);
            double p99 = percentileMedian(measured, 99.0);
            report.note(String.format(
                    "latency: end-to-end p99 at %d/s with commit.interval.ms=%d is %.1f ms = %.2fx the commit interval "
                            + "(target <= 2x: %s).",
                    rate, commitMs, p99, p99 / commitMs, p99 <= 2 * commitMs ? "met" : "missed"));
        }
    }

    // ---- the view's own added latency, against a raw consumer on the same plain topic ----

    private void added(int rate) throws Exception {
        String topic = "bench.latency." + rate + "." + System.nanoTime();
        Data.create(kafka, topic);
        Recorder raw = new Recorder(3);
        Recorder viewed = new Recorder(3);
        AtomicBoolean stop = new AtomicBoolean();
        Thread rawReader = rawReader(topic, raw, stop);
        Map<String, Object> producerConfig = new HashMap<>(kafka.clientConfig());
        producerConfig.put("linger.ms", 0);
        try (StateView<GenericRecord> view = StateView.builder(Data.BLOB)
                        .topic(topic)
                        .kafka(kafka.clientConfig())
                        .listener("latency", c -> {
                            if (c.newValue() != null && !c.meta().initial()) {
                                viewed.recordValue(micros(System.nanoTime()
                                        - ((ByteBuffer) c.newValue().get("data")).getLong(0)));
                            }
                        })
                        .build()
                        .start();
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            view.awaitReady(Duration.ofMinutes(1));
            rawReader.start();
            Thread.sleep(500); // the raw consumer has its assignment and position
            Random r = new Random(9);
            List<Histogram> rawWindows = new ArrayList<>();
            List<Histogram> viewWindows = pace(rate, viewed, raw, rawWindows, (intended) -> {
                byte[] value = Data.value(r);
                ByteBuffer.wrap(value, Data.PAYLOAD_OFFSET, 8).putLong(intended);
                producer.send(new ProducerRecord<>(topic, Data.key(r.nextInt(100_000)), value));
            });
            stop.set(true);
            rawReader.join();
            figures("latency", "raw KafkaConsumer, plain topic, " + rate + "/s", rawWindows);
            figures("latency", "Statecast view listener, plain topic, " + rate + "/s", viewWindows);
            double added = percentileMedian(viewWindows, 99.0) - percentileMedian(rawWindows, 99.0);
            report.note(String.format(
                    "latency: the view adds %.2f ms at p99 over a raw consumer at %d/s (target <= 1 ms: %s); p50 %.2f ms.",
                    added,
                    rate,
                    added <= 1.0 ? "met" : "missed",
                    percentileMedian(viewWindows, 50.0) - percentileMedian(rawWindows, 50.0)));
        }
    }

    private Thread rawReader(String topic, Recorder recorder, AtomicBoolean stop) {
        Thread t = new Thread(
                () -> {
                    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(kafka.clientConfig(), Map.of())) {
                        List<TopicPartition> tps = new ArrayList<>();
                        c.partitionsFor(topic).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
                        c.assign(tps);
                        c.seekToEnd(tps);
                        tps.forEach(c::position);
                        while (!stop.get()) {
                            for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(100))) {
                                long sent = ByteBuffer.wrap(rec.value(), Data.PAYLOAD_OFFSET, 8)
                                        .getLong();
                                recorder.recordValue(micros(System.nanoTime() - sent));
                            }
                        }
                    }
                },
                "bench-raw-reader");
        t.setDaemon(true);
        return t;
    }

    // Sends at `rate` from intended times start + i/rate; a warm-up, then `windows` windows, each
    // collecting the interval histogram of every recorder.
    private List<Histogram> pace(int rate, Recorder recorder, LongConsumer send) throws InterruptedException {
        return pace(rate, recorder, null, null, send);
    }

    private List<Histogram> pace(
            int rate, Recorder main, Recorder other, List<Histogram> otherWindows, LongConsumer send)
            throws InterruptedException {
        List<Histogram> out = new ArrayList<>();
        long start = System.nanoTime();
        long warmEnd = start + warmUp().toNanos();
        long end = warmEnd + windows * window().toNanos();
        long nextWindow = warmEnd;
        long i = 0;
        while (true) {
            long intended = start + i * 1_000_000_000L / rate;
            long now = System.nanoTime();
            if (intended > now) {
                long wait = intended - now;
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (intended >= nextWindow) {
                Histogram h = main.getIntervalHistogram();
                Histogram o = other == null ? null : other.getIntervalHistogram();
                if (nextWindow > warmEnd) { // the first boundary ends the warm-up: dropped
                    out.add(h);
                    if (o != null) {
                        otherWindows.add(o);
                    }
                }
                if (intended >= end) {
                    break;
                }
                nextWindow += window().toNanos();
            }
            send.accept(intended);
            i++;
        }
        // Records sent in the last window arrive after it closed: let them land, then take them in.
        Thread.sleep(2_000);
        out.set(out.size() - 1, merge(out.get(out.size() - 1), main.getIntervalHistogram()));
        if (other != null) {
            otherWindows.set(
                    otherWindows.size() - 1,
                    merge(otherWindows.get(otherWindows.size() - 1), other.getIntervalHistogram()));
        }
        return out;
    }

    private static Histogram merge(Histogram a, Histogram b) {
        Histogram m = a.copy();
        m.add(b);
        return m;
    }

    private void figures(String suite, String contender, List<Histogram> windows) {
        for (double p : new double[] {50.0, 99.0, 99.9}) {
            List<Double> ms = windows.stream()
                    .map(h -> h.getValueAtPercentile(p) / 1000.0)
                    .toList();
            report.add(suite, contender, "p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)), "ms", ms);
        }
        report.add(
                suite,
                contender,
                "max",
                "ms",
                windows.stream().map(h -> h.getMaxValue() / 1000.0).toList());
        report.add(
                suite,
                contender,
                "callbacks per window",
                "count",
                windows.stream().map(h -> (double) h.getTotalCount()).toList());
    }

    private static double percentileMedian(List<Histogram> windows, double p) {
        return Stats.of(windows.stream()
                        .map(h -> h.getValueAtPercentile(p) / 1000.0)
                        .toList())
                .median();
    }

    private static long micros(long nanos) {
        return Math.min(MAX_MICROS, Math.max(0, nanos / 1000));
    }
}
