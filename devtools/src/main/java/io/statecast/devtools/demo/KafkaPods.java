package io.statecast.devtools.demo;

import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The pods written with {@code StatecastProducer}; the authoritative table is the namespace's state topic. */
final class KafkaPods implements PodSink {
    private final StatecastProducer<Pod> producer;
    private final Map<String, Object> kafka;
    private final Namespace ns;

    KafkaPods(Map<String, Object> kafka, Namespace ns) {
        this.kafka = kafka;
        this.ns = ns;
        this.producer = StatecastProducer.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka)
                .producerId("simulator")
                .build();
    }

    @Override
    public CompletableFuture<Receipt> upsert(String key, Pod pod) {
        return producer.upsert(key, pod);
    }

    @Override
    public CompletableFuture<Receipt> delete(String key) {
        return producer.delete(key);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public List<Receipt> lastChanges() {
        return List.of(); // the sends' receipts say it
    }

    @Override
    public Map<String, Map<String, Pod>> byNode() {
        return TableCheck.byNode(kafka, ns);
    }

    @Override
    public String latency() {
        return "send -> visible in the agent";
    }

    @Override
    public void close() {
        producer.close();
    }
}
