package io.statecast.materializer.internal;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What the slice step asks of its task's context, for a test of its own logic: the task's stores, the records it
 * forwards (kept in order) and the punctuators it schedules (run by the test). Nothing of Kafka's behaviour is
 * imitated: no commit, no transaction, no delivery.
 */
final class RecordingContext implements ProcessorContext<byte[], Routed> {
    final List<Record<byte[], Routed>> forwarded = new ArrayList<>();
    final List<Punctuator> punctuators = new ArrayList<>();
    private final Map<String, StateStore> stores;
    private final TaskId task;

    RecordingContext(int partition, Map<String, StateStore> stores) {
        this.task = new TaskId(0, partition);
        this.stores = stores;
    }

    /** Runs every scheduled punctuator at {@code now}. */
    void punctuate(long now) {
        List.copyOf(punctuators).forEach(p -> p.punctuate(now));
    }

    // Raw: a type parameter cannot extend byte[], so the generic signature cannot be spelled out.
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void forward(Record record) {
        forwarded.add(record);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void forward(Record record, String childName) {
        forward(record);
    }

    @Override
    public String applicationId() {
        return "test";
    }

    @Override
    public TaskId taskId() {
        return task;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.empty();
    }

    @Override
    public Serde<?> keySerde() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Serde<?> valueSerde() {
        throw new UnsupportedOperationException();
    }

    @Override
    public File stateDir() {
        throw new UnsupportedOperationException();
    }

    @Override
    public StreamsMetrics metrics() {
        throw new UnsupportedOperationException();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends StateStore> S getStateStore(String name) {
        return (S) stores.get(name);
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        punctuators.add(callback);
        return () -> punctuators.remove(callback);
    }

    @Override
    public Cancellable schedule(Instant start, Duration interval, PunctuationType type, Punctuator callback) {
        return schedule(interval, type, callback);
    }

    @Override
    public void commit() {}

    @Override
    public Map<String, Object> appConfigs() {
        return Map.of();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return Map.of();
    }

    @Override
    public long currentSystemTimeMs() {
        return 0;
    }

    @Override
    public long currentStreamTimeMs() {
        return 0;
    }
}
