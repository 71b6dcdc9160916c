package io.statecast.bench.internal;

import java.util.Arrays;
import java.util.List;

/** Median, min and max of repeated measurements. */
public record Stats(double median, double min, double max, int n) {
    public static Stats of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Stats(median, v[0], v[v.length - 1], v.length);
    }

    @Override
    public String toString() {
        return String.format("%.3f (%.3f–%.3f, n=%d)", median, min, max, n);
    }

    static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }
}
