package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Digest;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.ViewClosedException;
import io.statecast.common.ViewFailedException;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * User callbacks that throw (filter, transform, index extractor) cost only the record they threw on: it is
 * kept out (counted, alarmed) and the view keeps applying and verifying. A view that failed for good, or
 * was closed, refuses reads instead of serving frozen data.
 */
@StatecastKafkaTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CallbackFailuresIT {
    private static final String BOOM = "boom";

    @Test
    void aThrowingFilterTransformOrIndexExtractorCostsOnlyTheRecordItThrewOn(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        Digest digest = new Digest();
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            write(m, digest, "ok-1", "n");
            write(m, digest, "poison", BOOM);
            write(m, digest, "ok-2", "n");
            m.commit();
        }
        try (StateView<Pod> filtering = base(kafka, ns)
                        .filter(p -> {
                            if (BOOM.equals(p.getNode())) {
                                throw new IllegalStateException("a bug in the filter");
                            }
                            return true;
                        })
                        .build();
                StateView<Pod> transforming = base(kafka, ns)
                        .transform(p -> {
                            if (BOOM.equals(p.getNode())) {
                                throw new IllegalArgumentException("a bug in the transform");
                            }
                            return p;
                        })
                        .build();
                StateView<Pod> indexing = base(kafka, ns)
                        .index("byNode", p -> {
                            if (BOOM.equals(p.getNode())) {
                                throw new NullPointerException("a bug in the extractor");
                            }
                            return p.getNode();
                        })
                        .build()) {
            List<StateView<Pod>> views = List.of(filtering, transforming, indexing);
            views.forEach(StateView::start);
            views.forEach(v -> v.awaitReady(Duration.ofSeconds(30)));
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.skipSrcOffsets(3);
                m.begin();
                write(m, digest, "ok-3", "n");
                m.checksum(0, 3, digest.count(), digest.value().lanes(), 3L);
                m.commit();
            }
            for (StateView<Pod> v : views) {
                Conditions.waitFor(
                        "the next record applied and the checksum verified",
                        Duration.ofSeconds(30),
                        () -> v.contains("ok-3") && v.stats().checks().verified() == 1,
                        Boolean.TRUE::equals);
                assertEquals(ViewStatus.State.READY, v.status().state());
                assertEquals(0, v.stats().checks().mismatched(), "the skipped record still adds up: no false mismatch");
                assertEquals(1, v.stats().reading().callbackFailures());
                assertTrue(
                        v.status().alarms().stream().anyMatch(a -> a.contains("poison")),
                        v.status().alarms().toString());
            }
            assertFalse(filtering.contains("poison"), "a record whose filter threw is kept out");
            assertFalse(transforming.contains("poison"), "a record whose transform threw is kept out");
            assertTrue(indexing.contains("poison"), "a record whose extractor threw is stored, not indexed");
            assertEquals(Map.of(), indexing.byIndex("byNode", BOOM));
            assertEquals(3, indexing.byIndex("byNode", "n").size());
        }
    }

    @Test
    void aFailedViewRefusesReadsAndAwaitsWithViewFailedException(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "ok-1", FakeMaterializer.pod("ok-1", "n", PodPhase.RUNNING));
            m.commit();
        }
        try (StateView<Pod> view = base(kafka, ns)
                .filter(p -> {
                    if (BOOM.equals(p.getNode())) {
                        throw new AssertionError("an Error is fatal: the view fails");
                    }
                    return true;
                })
                .build()) {
            view.start().awaitReady(Duration.ofSeconds(30));
            try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
                m.skipSrcOffsets(1);
                m.begin();
                m.write(0, "fatal", FakeMaterializer.pod("fatal", BOOM, PodPhase.RUNNING));
                m.commit();
            }
            Conditions.waitFor(
                    "FAILED", Duration.ofSeconds(30), () -> view.status().state() == ViewStatus.State.FAILED);
            assertThrows(ViewFailedException.class, () -> view.get("ok-1"), "no frozen data from a failed view");
            assertThrows(ViewFailedException.class, () -> view.contains("ok-1"));
            assertThrows(ViewFailedException.class, view::size);
            assertThrows(ViewFailedException.class, view::snapshot);
            CompletableFuture<Void> late = view.await(new Receipt(ns.changes(), 0, 99, 0));
            ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ViewFailedException, e.toString());
        }
    }

    @Test
    void aClosedViewRefusesReadsAndAwaitsWithViewClosedException(KafkaFixture kafka) {
        Namespace ns = BootstrapIT.provision(kafka, 1);
        try (FakeMaterializer m = new FakeMaterializer(kafka, ns)) {
            m.begin();
            m.write(0, "ok-1", FakeMaterializer.pod("ok-1", "n", PodPhase.RUNNING));
            m.commit();
        }
        StateView<Pod> view = base(kafka, ns).build();
        view.start().awaitReady(Duration.ofSeconds(30));
        assertTrue(view.contains("ok-1"));
        view.close();
        assertThrows(ViewClosedException.class, () -> view.get("ok-1"), "no frozen data from a closed view");
        assertThrows(ViewClosedException.class, view::size);
        CompletableFuture<Void> late = view.await(new Receipt(ns.changes(), 0, 99, 0));
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ViewClosedException, e.toString());
    }

    private static StateView.Builder<Pod> base(KafkaFixture kafka, Namespace ns) {
        return StateView.builder(Pod.class).namespace(ns.name()).kafka(kafka.clientConfig());
    }

    private static void write(FakeMaterializer m, Digest digest, String key, String node) {
        byte[] value = m.write(0, key, FakeMaterializer.pod(key, node, PodPhase.RUNNING));
        digest.add(key.getBytes(StandardCharsets.UTF_8), value);
    }
}
