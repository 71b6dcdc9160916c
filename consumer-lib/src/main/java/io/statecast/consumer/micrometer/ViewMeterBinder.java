package io.statecast.consumer.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.statecast.consumer.PartitionProgress;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a view's {@link ViewStats} through Micrometer (optional dependency: only this class
 * needs it). {@code new ViewMeterBinder(view, "k8s").bindTo(registry)}.
 */
public final class ViewMeterBinder implements MeterBinder {
    private final StateView<?> view;
    private final Tags tags;

    public ViewMeterBinder(StateView<?> view, String name) {
        this.view = view;
        this.tags = Tags.of("view", name);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "statecast.view.entries", s -> s.entries());
        gauge(registry, "statecast.view.stored.bytes", s -> s.storedBytes());
        gauge(registry, "statecast.view.staleness.seconds", s -> s.staleness().toMillis() / 1000.0);
        gauge(
                registry,
                "statecast.view.bootstrap.seconds",
                s -> s.bootstrapDuration() == null
                        ? Double.NaN
                        : s.bootstrapDuration().toMillis() / 1000.0);
        gauge(
                registry,
                "statecast.view.lag.records",
                s -> s.partitions().stream().mapToLong(PartitionProgress::lag).sum());
        gauge(
                registry,
                "statecast.view.listener.queued",
                s -> s.listeners().stream()
                        .mapToInt(ViewStats.ListenerStats::queued)
                        .sum());
        gauge(
                registry,
                "statecast.view.listener.oldest.seconds",
                s -> s.listeners().stream()
                                .map(ViewStats.ListenerStats::oldest)
                                .mapToLong(Duration::toMillis)
                                .max()
                                .orElse(0)
                        / 1000.0);
        counter(registry, "statecast.view.records.applied", s -> s.recordsApplied());
        counter(registry, "statecast.view.records.skipped", s -> s.recordsSkipped());
        counter(registry, "statecast.view.fetched.bytes", s -> s.bytesFetched());
        counter(registry, "statecast.view.resets", s -> s.resets());
        counter(registry, "statecast.view.snapshots.saved", s -> s.snapshots().saved());
        counter(registry, "statecast.view.snapshots.failed", s -> s.snapshots().failed());
        gauge(
                registry,
                "statecast.view.snapshot.pause.seconds",
                s -> s.snapshots().lastPause().toNanos() / 1e9);
    }

    private void gauge(MeterRegistry registry, String name, ToDoubleFunction<ViewStats> f) {
        Gauge.builder(name, view, v -> f.applyAsDouble(v.stats())).tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, ToDoubleFunction<ViewStats> f) {
        FunctionCounter.builder(name, view, v -> f.applyAsDouble(v.stats()))
                .tags(tags)
                .register(registry);
    }
}
