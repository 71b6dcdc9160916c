package io.statecast.devtools.demo;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The report's charts, drawn by JFreeChart into SVG (JFreeSVG): one method per chart. */
final class DemoCharts {
    static final int WIDTH = 900;
    static final int HEIGHT = 360;

    private DemoCharts() {}

    /** The bytes chart's floor: a logarithmic axis has no zero, a second without a fetch is drawn there. */
    static final double NONE_KB = 0.1;

    /**
     * Bytes fetched from the brokers per second by the agents of each wave, over the run, on a logarithmic
     * axis: slice views fetch a hundredth of what whole-table views do, and both must show.
     */
    static JFreeChart bytesPerSecond(List<DemoRecorder.Sample> samples) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String wave : waves(samples)) {
            XYSeries s = new XYSeries(wave);
            for (int i = 1; i < samples.size(); i++) {
                DemoRecorder.Sample a = samples.get(i - 1);
                DemoRecorder.Sample b = samples.get(i);
                double bytes =
                        b.bytesByWave().getOrDefault(wave, 0L) - a.bytesByWave().getOrDefault(wave, 0L);
                s.add(b.seconds(), Math.max(NONE_KB, bytes / Math.max(1e-3, b.seconds() - a.seconds()) / 1e3));
            }
            data.addSeries(s);
        }
        JFreeChart chart = styled(ChartFactory.createXYLineChart(
                "Bytes fetched from the brokers per second, by wave",
                "seconds since the churn started",
                "KB/s",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false));
        LogAxis kb = new LogAxis("KB/s (logarithmic; " + NONE_KB + ": none)");
        kb.setSmallestValue(NONE_KB);
        kb.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        chart.getXYPlot().setRangeAxis(kb);
        return chart;
    }

    /** Each agent's time to ready against when it started, by wave: a herd starts at once, a splay spreads it. */
    static JFreeChart timeToReady(List<DemoRecorder.Readiness> agents) {
        Map<String, XYSeries> byWave = new LinkedHashMap<>();
        for (DemoRecorder.Readiness r : agents) {
            byWave.computeIfAbsent(r.wave(), XYSeries::new).add(r.startedAt(), r.secondsToReady());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byWave.values().forEach(data::addSeries);
        return styled(ChartFactory.createScatterPlot(
                "Time to ready of each agent, by wave",
                "started at (seconds since the churn started)",
                "seconds to ready",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false));
    }

    /** Read-your-writes latencies in doubling buckets (from the send to the write visible in the agent). */
    static JFreeChart readYourWrites(Histogram micros) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        long low = 0;
        for (long high = 1_000; low <= micros.getMaxValue(); high *= 2) {
            data.addValue(micros.getCountBetweenValues(low, high), "writes", millis(high));
            low = high + 1;
        }
        JFreeChart chart = styled(ChartFactory.createBarChart(
                "Read-your-writes latency (" + micros.getTotalCount() + " writes)",
                "latency up to",
                "writes",
                data,
                PlotOrientation.VERTICAL,
                false,
                false,
                false));
        chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        return chart;
    }

    private static String millis(long micros) {
        return micros >= 1_000_000 ? micros / 1_000_000 + " s" : micros / 1_000 + " ms";
    }

    /** Checksums verified (and mismatched) by all agents so far, over the run. */
    static JFreeChart checksums(List<DemoRecorder.Sample> samples) {
        XYSeries verified = new XYSeries("verified");
        XYSeries mismatched = new XYSeries("mismatched");
        for (DemoRecorder.Sample s : samples) {
            verified.add(s.seconds(), s.verified());
            mismatched.add(s.seconds(), s.mismatched());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(verified);
        data.addSeries(mismatched);
        return styled(ChartFactory.createXYLineChart(
                "Checksums verified by the agents, over the run",
                "seconds since the churn started",
                "checksums (cumulative)",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false));
    }

    /** The chart as an inline SVG element; {@code id} keeps its definitions apart from the other charts'. */
    static String svg(JFreeChart chart, String id) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement(id);
    }

    private static Set<String> waves(List<DemoRecorder.Sample> samples) {
        Set<String> waves = new TreeSet<>();
        samples.forEach(s -> waves.addAll(s.bytesByWave().keySet()));
        return waves;
    }

    private static JFreeChart styled(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF7F7F7));
        return chart;
    }
}
