package org.ipclab.report.backlog;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The sweep as an SVG line chart: for each backlog B, the clients requested and the clients connected while
 * the server was not accepting (one line per arrival pattern), with the kernel's measured rule for reference.
 */
public final class BacklogChart {

    public static final int WIDTH = 760;
    public static final int HEIGHT = 440;

    private BacklogChart() {
    }

    /** Writes the chart as SVG to {@code file}. */
    public static void write(BacklogReport report, Path file) throws IOException {
        JFreeChart chart = chart(report);
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, g2.getSVGDocument(), StandardCharsets.UTF_8);
    }

    static JFreeChart chart(BacklogReport report) {
        BacklogFindings findings = new BacklogFindings(report);
        Integer offset = findings.queueRuleOffset();
        int c = offset != null ? offset : 1;
        // drawn in this order: the reference underneath, wide lines first, so lines that coincide stay visible
        XYSeries rule = new XYSeries(offset != null ? "kernel rule measured here: y = " + findings.queueRule()
                : "y = B+1 (the expected Linux rule; this run did not measure one rule)");
        XYSeries requested = new XYSeries("clients requested (N)");
        Map<Arrival, XYSeries> connected = new LinkedHashMap<>();
        for (Arrival a : List.of(Arrival.ALL_AT_ONCE, Arrival.ONE_BY_ONE)) {
            connected.put(a, new XYSeries("connected before accept(), clients " + a.label()));
        }
        for (BacklogTrial t : report.trials()) {
            rule.addOrUpdate(t.backlog(), (long) t.effectiveBacklog() + c);
            requested.addOrUpdate(t.backlog(), t.clients());
            connected.get(t.arrival()).addOrUpdate(t.backlog(), t.summary().connected());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(rule);
        data.addSeries(requested);
        List<Color> colors = new java.util.ArrayList<>(List.of(new Color(0xF5A3A3), new Color(0x888888)));
        List<Float> widths = new java.util.ArrayList<>(List.of(7f, 2f));
        Color[] arrivalColors = {new Color(0xFF7F0E), new Color(0x1F77B4)};
        float[] arrivalWidths = {4f, 1.5f};
        int k = 0;
        for (XYSeries series : connected.values()) {
            if (!series.isEmpty()) {
                data.addSeries(series);
                colors.add(arrivalColors[k]);
                widths.add(arrivalWidths[k]);
            }
            k++;
        }

        JFreeChart chart = ChartFactory.createXYLineChart(
                "listen() backlog: clients connected before the server accepts (Linux " + report.kernel() + ")",
                "backlog B passed to listen()", "clients", data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(14f));
        chart.addSubtitle(new org.jfree.chart.title.TextTitle("lines that coincide are drawn on top of each other"));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, colors.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(widths.get(i), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShapesVisible(i, i > 0);
        }
        plot.setRenderer(renderer);
        plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
        return chart;
    }
}
