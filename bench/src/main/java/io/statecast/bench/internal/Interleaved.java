package io.statecast.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements of interleaved rounds, collected per contender and figure until every round is done,
 * then reported in the order the contenders were first seen.
 */
final class Interleaved {
    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();

    void add(String contender, String figure, double value) {
        values.computeIfAbsent(contender, c -> new LinkedHashMap<>())
                .computeIfAbsent(figure, f -> new ArrayList<>())
                .add(value);
    }

    List<Double> get(String contender, String figure) {
        return values.getOrDefault(contender, Map.of()).getOrDefault(figure, List.of());
    }

    /** Reports the contender's figures; a retained heap also as a multiple of {@code kvBytes} per entry. */
    void report(Report report, String suite, String contender, double kvBytes) {
        for (Map.Entry<String, List<Double>> e :
                values.getOrDefault(contender, Map.of()).entrySet()) {
            String figure = e.getKey();
            boolean heap = figure.startsWith("retained heap");
            report.add(suite, contender, figure, heap ? "B" : "s", e.getValue());
            if (heap && kvBytes > 0) {
                List<Double> ratio = e.getValue().stream().map(b -> b / kvBytes).toList();
                report.add(suite, contender, "heap / (key+value bytes)", "x", ratio);
            }
        }
    }
}
