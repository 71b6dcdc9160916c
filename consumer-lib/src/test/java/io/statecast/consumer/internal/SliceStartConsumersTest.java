package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.consumer.ViewConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short-lived consumers of a slice view's start-up wait at most {@link MarksLookback#SCAN_WAIT_MS} for
 * a fetch, whatever the view's own properties say: a fetch at the end of a partition is held by the broker
 * for {@code fetch.max.wait.ms}, and the requests that follow it on the connection wait behind it.
 */
class SliceStartConsumersTest {
    private static final Map<String, Object> VIEW = Map.of(
            "namespace",
            "k8s",
            "slice",
            "by-node",
            "slice.values",
            "node-1",
            "bootstrap.servers",
            "b:9092",
            "fetch.max.wait.ms",
            500);

    @Test
    void theDefinitionsReaderDoesNotWaitForTheViewsFetchWait() {
        Map<String, Object> p = SliceSelection.readerProperties(new ViewConfig(VIEW));
        assertEquals(MarksLookback.SCAN_WAIT_MS, p.get("fetch.max.wait.ms"));
        assertEquals("b:9092", p.get("bootstrap.servers"));
        assertEquals("statecast-view-k8s-slices", p.get("client.id"));
    }

    @Test
    void theMarksScannerDoesNotWaitForTheViewsFetchWait() {
        Map<String, Object> p = MarksLookback.scannerProperties(new ViewConfig(VIEW).consumerProperties(), "scan");
        assertEquals(MarksLookback.SCAN_WAIT_MS, p.get("fetch.max.wait.ms"));
        assertEquals("none", p.get("auto.offset.reset"));
        assertEquals("b:9092", p.get("bootstrap.servers"));
    }
}
